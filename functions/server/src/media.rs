//! Pictures' bytes in a folder (COMMUNS_MEDIA), one file a key, written whole or not at all.

use app::ports::{Later, Objects};
use std::path::PathBuf;

pub struct Folder {
    root: PathBuf,
}

impl Folder {
    pub fn new(root: PathBuf) -> Folder {
        Folder { root }
    }

    /// The key's file; keys are ours (`domain::media::served`), never a path.
    fn file(&self, key: &str) -> Result<PathBuf, String> {
        match domain::media::served(key) {
            Some(_) => Ok(self.root.join(key)),
            None => Err(format!("{key}: not a picture's name")),
        }
    }
}

/// Runs file work off the request's thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| format!("media: {e}"))?
}

impl Objects for Folder {
    fn put<'a>(
        &'a self,
        key: &'a str,
        bytes: Vec<u8>,
        _content_type: &'a str,
    ) -> Later<'a, Result<(), String>> {
        let file = self.file(key);
        let root = self.root.clone();
        Box::pin(blocking(move || {
            let file = file?;
            let failed = |e: std::io::Error| format!("{}: {e}", file.display());
            std::fs::create_dir_all(&root).map_err(failed)?;
            // Beside it first, then renamed: a reader never sees half a picture.
            let partial = file.with_extension("partial");
            std::fs::write(&partial, &bytes).map_err(failed)?;
            std::fs::rename(&partial, &file).map_err(failed)
        }))
    }

    fn get<'a>(&'a self, key: &'a str) -> Later<'a, Result<Option<Vec<u8>>, String>> {
        let file = self.file(key);
        Box::pin(blocking(move || {
            let file = file?;
            match std::fs::read(&file) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(format!("{}: {e}", file.display())),
            }
        }))
    }

    fn delete<'a>(&'a self, key: &'a str) -> Later<'a, Result<(), String>> {
        let file = self.file(key);
        Box::pin(blocking(move || {
            let file = file?;
            match std::fs::remove_file(&file) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(format!("{}: {e}", file.display())),
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_picture_is_kept_read_and_deleted_and_nothing_else_is_a_key() {
        let root = std::env::temp_dir().join(format!("communs-media-{}", std::process::id()));
        let folder = Folder::new(root.clone());
        folder
            .put("p1.jpg", vec![1, 2, 3], "image/jpeg")
            .await
            .unwrap();
        assert_eq!(folder.get("p1.jpg").await.unwrap(), Some(vec![1, 2, 3]));
        assert!(!root.join("p1.partial").exists());
        assert!(folder.get("../communs.db").await.is_err());
        folder.delete("p1.jpg").await.unwrap();
        folder.delete("p1.jpg").await.unwrap();
        assert_eq!(folder.get("p1.jpg").await.unwrap(), None);
        let _ = std::fs::remove_dir_all(root);
    }
}
