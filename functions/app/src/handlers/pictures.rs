//! An element's pictures: added by whoever may edit it (the bytes checked, their metadata
//! stripped: `domain::media`), stored in the host's object storage, served for a year, removed
//! with it.

use crate::App;
use crate::handlers::elements::{allowed, element};
use crate::repo::{batch, query, query_first};
use crate::request::Req;
use crate::respond::{self, Outcome};
use axum::extract::State;
use domain::access::Action;
use domain::error::{ApiError, ErrorCode};
use domain::media::{self, Picture, PictureRow, Role};

/// What an upload brought: the picture, maybe its small variant made by the page, and the
/// fields a form may carry instead of the query.
struct Upload {
    picture: Vec<u8>,
    small: Option<Vec<u8>>,
    fields: Vec<(String, String)>,
}

/// `POST /api/elements/{id}/images?role=…&alt=…`: 201 with the picture as the element's JSON
/// shows it.
pub async fn add(State(app): State<App>, mut req: Req) -> Outcome {
    req.check_write()?;
    let row = element(&app, &req).await?;
    let person = allowed(&app, &req, Some(&row), Action::EditElement).await?;
    let upload = read(&mut req).await?;
    let field = |name: &str| {
        req.query(name).or_else(|| {
            let found = upload.fields.iter().find(|(k, _)| k == name);
            found
                .map(|(_, v)| v.clone())
                .filter(|v| !v.trim().is_empty())
        })
    };
    let role = field("role")
        .as_deref()
        .and_then(Role::parse)
        .ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "role"))?;
    let alt = role.alt(field("alt").as_deref())?.unwrap_or_default();
    let picture = media::accept(&upload.picture)?;
    let small = match &upload.small {
        Some(bytes) => Some(media::accept(bytes)?).filter(|s| media::small_fits(&picture, s)),
        None => None,
    };
    let now = app.now();
    let limits = [(domain::limits::PICTURES_PER_PERSON, person.id.as_str())];
    crate::repo::limits::enforce(&app, &limits, now).await?;
    let id = format!("pic_{}", &app.token()[..20]);
    let replaced = match role {
        Role::Photo => Vec::new(),
        _ => query(&app, store::media::of_role(&row.id, role), "pictures").await?,
    };
    store(&app, &id, &picture, small.as_ref()).await?;
    let kept = small.as_ref().unwrap_or(&picture);
    let new = store::media::NewPicture {
        id: &id,
        element: &row.id,
        role,
        format: picture.format,
        size: (picture.width, picture.height),
        small: (kept.width, kept.height),
        alt: &alt,
        bytes: picture.bytes.len() + small.as_ref().map_or(0, |s| s.bytes.len()),
        author: &person.id,
        now,
    };
    if let Err(error) = batch(&app, store::media::insert(&new), "picture").await {
        // Nothing recorded: the files go too.
        for file in media::files(&id, picture.format, small.is_some()) {
            let _ = app.media.delete(&file).await;
        }
        return Err(error.into());
    }
    let gone = remove_all(&app, &replaced).await?;
    let stored = query_first(&app, store::media::by_id(&id), "picture")
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::Unavailable))?;
    let response = respond::json_status(&stored.view(), 201)?;
    respond::stale_media(respond::stale_page(response, &row.slug)?, &gone)
}

/// Writes the picture's files; 503 when the storage fails (nothing is recorded then).
async fn store(
    app: &App,
    id: &str,
    picture: &Picture,
    small: Option<&Picture>,
) -> Result<(), ApiError> {
    let names = media::files(id, picture.format, small.is_some());
    for (file, picture) in names
        .iter()
        .zip([Some(picture), small].into_iter().flatten())
    {
        let put = app
            .media
            .put(file, picture.bytes.clone(), picture.format.content_type());
        if let Err(cause) = put.await {
            crate::log::error(&format!("media: {cause}"));
            // What was written goes too: no file without its row.
            for file in &names {
                let _ = app.media.delete(file).await;
            }
            return Err(ApiError::new(ErrorCode::Unavailable));
        }
    }
    Ok(())
}

/// Removes a picture: its files first (a failure keeps the row, so that a retry finds them),
/// then its row.
pub async fn remove(app: &App, row: &PictureRow) -> Result<(), ApiError> {
    for file in row.files() {
        if let Err(cause) = app.media.delete(&file).await {
            crate::log::error(&format!("media: {cause}"));
            return Err(ApiError::new(ErrorCode::Unavailable));
        }
    }
    batch(app, store::media::delete(&row.id), "picture").await?;
    Ok(())
}

/// Removes every picture of a list (an element's, before it goes; a person's, at erasure); the
/// files removed, for the caches to forget (`respond::stale_media`).
pub async fn remove_all(app: &App, rows: &[PictureRow]) -> Result<Vec<String>, ApiError> {
    let mut files = Vec::new();
    for row in rows {
        remove(app, row).await?;
        files.extend(row.files());
    }
    Ok(files)
}

/// `DELETE /api/images/{id}`: by whoever may edit its element.
pub async fn delete(State(app): State<App>, req: Req) -> Outcome {
    req.check_write()?;
    let picture = query_first(&app, store::media::by_id(&req.param("id")), "picture")
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let row = crate::repo::elements::find(&app, &picture.element_id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    allowed(&app, &req, Some(&row), Action::EditElement).await?;
    remove(&app, &picture).await?;
    let response = respond::stale_page(respond::no_content()?, &row.slug)?;
    respond::stale_media(response, &picture.files())
}

/// `GET /media/{file}`: a stored picture, with its type and for a year (its name never
/// serves other bytes).
pub async fn serve(State(app): State<App>, req: Req) -> Outcome {
    let file = req.param("file");
    let format = media::served(&file).ok_or_else(|| ApiError::new(ErrorCode::NotFound))?;
    let bytes = match app.media.get(&file).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(ApiError::new(ErrorCode::NotFound).into()),
        Err(cause) => {
            crate::log::error(&format!("media: {cause}"));
            return Err(ApiError::new(ErrorCode::Unavailable).into());
        }
    };
    let response = respond::with_body(200, format.content_type(), bytes);
    respond::with_header(response, "Cache-Control", media::CACHE_CONTROL)
}

/// The body: an image as it is (`image/*`), or a form (`multipart/form-data`) whose `file` part
/// is the picture and `small` part its small variant. 415 for anything else.
async fn read(req: &mut Req) -> Result<Upload, ApiError> {
    let content_type = req.header("Content-Type").unwrap_or_default();
    let lower = content_type.to_ascii_lowercase();
    // Both variants of a form fit: the picture and its small one.
    let max = media::MAX_BYTES + media::MAX_BYTES / 2;
    if lower.starts_with("image/") {
        let picture = req.bytes(media::MAX_BYTES).await?;
        return Ok(Upload {
            picture,
            small: None,
            fields: Vec::new(),
        });
    }
    if !lower.starts_with("multipart/form-data") {
        return Err(ApiError::new(ErrorCode::UnsupportedMediaType));
    }
    let boundary =
        multer::parse_boundary(&content_type).map_err(|_| ApiError::new(ErrorCode::BadRequest))?;
    let body = req.bytes(max).await?;
    parts(body, boundary).await
}

/// A form's parts: `file`, `small`, and its text fields.
async fn parts(body: Vec<u8>, boundary: String) -> Result<Upload, ApiError> {
    let stream = futures_util::stream::once(std::future::ready(Ok::<_, std::convert::Infallible>(
        axum::body::Bytes::from(body),
    )));
    let mut form = multer::Multipart::new(stream, boundary);
    let bad = |_| ApiError::new(ErrorCode::BadRequest);
    let (mut picture, mut small, mut fields) = (None, None, Vec::new());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(bad)?.to_vec();
        match name.as_str() {
            "file" => picture = Some(bytes),
            "small" => small = Some(bytes),
            _ => fields.push((name, String::from_utf8_lossy(&bytes).into_owned())),
        }
    }
    if picture.as_ref().is_some_and(|p| p.len() > media::MAX_BYTES) {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge));
    }
    Ok(Upload {
        picture: picture.ok_or_else(|| ApiError::on_field(ErrorCode::InvalidField, "file"))?,
        small,
        fields,
    })
}

/// An element's pictures, for its deletion.
pub async fn of_element(app: &App, element: &str) -> Result<Vec<PictureRow>, ApiError> {
    query(app, store::media::of_element(element), "pictures").await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../tests/fixtures/pictures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[pollster::test]
    async fn a_form_gives_its_picture_its_small_variant_and_its_fields() {
        let (photo, small) = (fixture("photo-gps.jpg"), fixture("photo-small.jpg"));
        let mut body = Vec::new();
        for (name, file, bytes) in [
            ("file", Some("a.jpg"), &photo),
            ("small", Some("s.jpg"), &small),
            ("alt", None, &b"Le potager".to_vec()),
        ] {
            body.extend(b"--XyZ\r\n");
            match file {
                Some(file) => body.extend(format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: image/jpeg\r\n\r\n").bytes()),
                None => body.extend(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").bytes()),
            }
            body.extend(bytes.iter());
            body.extend(b"\r\n");
        }
        body.extend(b"--XyZ--\r\n");
        let upload = parts(body, "XyZ".into()).await.unwrap();
        assert_eq!(upload.picture, photo);
        assert_eq!(upload.small.as_deref(), Some(small.as_slice()));
        assert_eq!(
            upload.fields,
            [("alt".to_string(), "Le potager".to_string())]
        );
        let (picture, small) = (
            media::accept(&upload.picture).unwrap(),
            media::accept(&small).unwrap(),
        );
        assert!(media::small_fits(&picture, &small));
    }
}
