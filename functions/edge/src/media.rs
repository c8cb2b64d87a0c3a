//! Pictures' bytes in an R2 bucket (Miniflare's locally).

use app::ports::{Later, Objects};
use worker::send::{SendFuture, SendWrapper};

pub struct Bucket(pub SendWrapper<worker::Bucket>);

impl Objects for Bucket {
    fn put<'a>(
        &'a self,
        key: &'a str,
        bytes: Vec<u8>,
        content_type: &'a str,
    ) -> Later<'a, Result<(), String>> {
        Box::pin(SendFuture::new(async move {
            let metadata = worker::HttpMetadata {
                content_type: Some(content_type.to_string()),
                cache_control: Some(domain::media::CACHE_CONTROL.to_string()),
                ..Default::default()
            };
            self.0
                .put(key, bytes)
                .http_metadata(metadata)
                .execute()
                .await
                .map(|_| ())
                .map_err(|e| format!("R2 put {key}: {e}"))
        }))
    }

    fn get<'a>(&'a self, key: &'a str) -> Later<'a, Result<Option<Vec<u8>>, String>> {
        Box::pin(SendFuture::new(async move {
            let failed = |e: worker::Error| format!("R2 get {key}: {e}");
            let Some(object) = self.0.get(key).execute().await.map_err(failed)? else {
                return Ok(None);
            };
            match object.body() {
                Some(body) => body.bytes().await.map(Some).map_err(failed),
                None => Ok(None),
            }
        }))
    }

    fn delete<'a>(&'a self, key: &'a str) -> Later<'a, Result<(), String>> {
        Box::pin(SendFuture::new(async move {
            self.0
                .delete(key)
                .await
                .map_err(|e| format!("R2 delete {key}: {e}"))
        }))
    }
}
