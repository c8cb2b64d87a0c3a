//! Pictures (an element's logo, banner and photos): what an upload must be, and what is kept of
//! it. The page resizes a picture before sending it, so the server never decodes one: it reads the
//! container (JPEG segments, PNG chunks, WebP's RIFF chunks), takes the type from the bytes
//! rather than from what the client says, reads the size from the header, and drops every
//! metadata part (EXIF with its GPS position, XMP, IPTC, comments, text chunks) so that none
//! reaches the public.

use crate::error::{ApiError, ErrorCode};
use img_parts::jpeg::Jpeg;
use img_parts::png::Png;
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::{CHUNK_EXIF, CHUNK_VP8X, CHUNK_XMP, WebP};
use img_parts::{Bytes, ImageEXIF};

/// At most this many bytes an upload (the page sends far less once it has resized it).
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// A photo's alternative text: required, at most this many characters.
pub const MAX_ALT_CHARS: usize = 250;

/// The formats taken (stored by name: `jpeg`, `png`, `webp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// What the bytes are, from their signature.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(Format::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(Format::Png),
            [
                b'R',
                b'I',
                b'F',
                b'F',
                _,
                _,
                _,
                _,
                b'W',
                b'E',
                b'B',
                b'P',
                ..,
            ] => Some(Format::Webp),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    fn of_extension(extension: &str) -> Option<Format> {
        [Format::Jpeg, Format::Png, Format::Webp]
            .into_iter()
            .find(|f| f.extension() == extension)
    }
}

/// Where a stored picture's bytes are served: `/media/<file>`.
pub const PATH: &str = "/media/";

/// Pictures never change once stored (a new logo is a new file), so a cache keeps them a year.
pub const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

/// A picture's stored file: `<id>.<ext>`, and `<id>-small.<ext>` for the small variant lists
/// and map popups show.
pub fn file_name(id: &str, format: Format, small: bool) -> String {
    let variant = if small { "-small" } else { "" };
    format!("{id}{variant}.{}", format.extension())
}

/// A picture's files: itself, and its small variant when it has one.
pub fn files(id: &str, format: Format, small: bool) -> Vec<String> {
    let mut files = vec![file_name(id, format, false)];
    if small {
        files.push(file_name(id, format, true));
    }
    files
}

/// The address of a stored file, from the site's root.
pub fn url(file: &str) -> String {
    format!("{PATH}{file}")
}

/// The format of a file asked for at `/media/<file>`, when the name is one we make (letters,
/// digits, `_` and `-`, then a known extension): anything else is no file of ours.
pub fn served(file: &str) -> Option<Format> {
    let (stem, extension) = file.rsplit_once('.')?;
    let ours = !stem.is_empty()
        && stem.len() <= 64
        && stem
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ours.then(|| Format::of_extension(extension)).flatten()
}

/// One stored size of a picture, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Shown {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// A picture as its element's JSON and pages show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PictureView {
    pub id: String,
    pub role: Role,
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: Option<String>,
    pub small: Shown,
}

/// A stored picture's row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct PictureRow {
    pub id: String,
    pub element_id: String,
    pub role: Role,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub small_width: u32,
    pub small_height: u32,
    pub alt: String,
    pub bytes: i64,
    pub author_id: Option<String>,
    pub created_at: i64,
}

impl PictureRow {
    /// Whether a small variant was stored (one was sent, smaller than the picture).
    pub fn has_small(&self) -> bool {
        (self.small_width, self.small_height) != (self.width, self.height)
    }

    /// The files it is stored as.
    pub fn files(&self) -> Vec<String> {
        files(&self.id, self.format, self.has_small())
    }

    pub fn view(&self) -> PictureView {
        let main = url(&file_name(&self.id, self.format, false));
        let small = match self.has_small() {
            true => url(&file_name(&self.id, self.format, true)),
            false => main.clone(),
        };
        PictureView {
            id: self.id.clone(),
            role: self.role,
            url: main,
            width: self.width,
            height: self.height,
            alt: Some(self.alt.clone()).filter(|a| !a.is_empty()),
            small: Shown {
                url: small,
                width: self.small_width,
                height: self.small_height,
            },
        }
    }

    /// The file lists show: the small variant's.
    pub fn list_file(&self) -> String {
        file_name(&self.id, self.format, self.has_small())
    }
}

/// An element's pictures as its JSON shows them: `logo`, `banner` (or null) and `photos`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Gallery {
    pub logo: Option<PictureView>,
    pub banner: Option<PictureView>,
    pub photos: Vec<PictureView>,
}

impl Gallery {
    /// From the element's rows (the newest logo and banner win, photos oldest first).
    pub fn of(rows: &[PictureRow]) -> Gallery {
        let newest = |role| {
            rows.iter()
                .filter(|r| r.role == role)
                .max_by_key(|r| (r.created_at, r.id.clone()))
                .map(PictureRow::view)
        };
        let mut photos: Vec<&PictureRow> = rows.iter().filter(|r| r.role == Role::Photo).collect();
        photos.sort_by_key(|r| (r.created_at, r.id.clone()));
        Gallery {
            logo: newest(Role::Logo),
            banner: newest(Role::Banner),
            photos: photos.into_iter().map(PictureRow::view).collect(),
        }
    }
}

/// A small variant must be the same format as its picture and smaller: otherwise the picture
/// itself is shown in lists (415 is for bytes that are no image at all). Of the same size, it
/// would be a second copy that no row names (`PictureRow::has_small`).
pub fn small_fits(picture: &Picture, small: &Picture) -> bool {
    let no_larger = small.width <= picture.width && small.height <= picture.height;
    let smaller = (small.width, small.height) != (picture.width, picture.height);
    small.format == picture.format && no_larger && smaller
}

/// What a picture is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Logo,
    Banner,
    Photo,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "logo" => Some(Role::Logo),
            "banner" => Some(Role::Banner),
            "photo" => Some(Role::Photo),
            _ => None,
        }
    }

    /// Its alternative text, trimmed: required for a photo (it shows something the page does
    /// not say), optional for a logo or a banner (the element's name says it); 400 on `alt`.
    pub fn alt(self, alt: Option<&str>) -> Result<Option<String>, ApiError> {
        let alt = alt.map(str::trim).filter(|a| !a.is_empty());
        match alt {
            Some(a) if a.chars().count() > MAX_ALT_CHARS => {
                Err(ApiError::on_field(ErrorCode::InvalidField, "alt"))
            }
            None if self == Role::Photo => Err(ApiError::on_field(ErrorCode::InvalidField, "alt")),
            alt => Ok(alt.map(str::to_string)),
        }
    }
}

/// An upload as kept: its format, size in pixels, and bytes without metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub bytes: Vec<u8>,
}

/// Takes an upload: 413 past `MAX_BYTES`; 415 when it is not a JPEG, PNG or WebP image whose
/// container reads whole and whose header gives a size.
pub fn accept(bytes: &[u8]) -> Result<Picture, ApiError> {
    if bytes.len() > MAX_BYTES {
        return Err(ApiError::new(ErrorCode::PayloadTooLarge));
    }
    let refused = || ApiError::new(ErrorCode::UnsupportedMediaType);
    let format = Format::sniff(bytes).ok_or_else(refused)?;
    let kept = strip(format, Bytes::copy_from_slice(bytes)).ok_or_else(refused)?;
    let size = imagesize::blob_size(&kept).map_err(|_| refused())?;
    let (width, height) = (u32::try_from(size.width), u32::try_from(size.height));
    match (width, height) {
        (Ok(width), Ok(height)) if width > 0 && height > 0 => Ok(Picture {
            format,
            width,
            height,
            bytes: kept.to_vec(),
        }),
        _ => Err(refused()),
    }
}

/// The image without its metadata parts; None when its container does not read.
fn strip(format: Format, bytes: Bytes) -> Option<Bytes> {
    match format {
        Format::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(bytes).ok()?;
            jpeg.segments_mut().retain(|s| jpeg_keeps(s.marker()));
            Some(jpeg.encoder().bytes())
        }
        Format::Png => {
            let mut png = Png::from_bytes(bytes).ok()?;
            png.chunks_mut()
                .retain(|c| !PNG_METADATA.contains(&c.kind()));
            Some(png.encoder().bytes())
        }
        Format::Webp => {
            let mut webp = WebP::from_bytes(bytes).ok()?;
            webp.set_exif(None);
            webp.remove_chunks_by_id(CHUNK_EXIF);
            webp.remove_chunks_by_id(CHUNK_XMP);
            clear_webp_flags(&mut webp);
            Some(webp.encoder().bytes())
        }
    }
}

/// A JPEG keeps its image segments, JFIF's header (APP0), its colour profile (APP2) and Adobe's
/// colour transform (APP14); every other application segment (EXIF and XMP in APP1, IPTC in
/// APP13…) and every comment goes.
fn jpeg_keeps(marker: u8) -> bool {
    const APP0: u8 = 0xE0;
    const APP2: u8 = 0xE2;
    const APP14: u8 = 0xEE;
    const APP15: u8 = 0xEF;
    const COM: u8 = 0xFE;
    match marker {
        APP0 | APP2 | APP14 => true,
        m if (APP0..=APP15).contains(&m) => false,
        COM => false,
        _ => true,
    }
}

/// PNG chunks that carry metadata: EXIF, text (three kinds) and the last-modified time.
const PNG_METADATA: [[u8; 4]; 5] = [*b"eXIf", *b"tEXt", *b"zTXt", *b"iTXt", *b"tIME"];

/// WebP's extended header says which optional chunks follow: with EXIF and XMP gone, so go
/// their flags (bits 3 and 2 of its first byte).
fn clear_webp_flags(webp: &mut WebP) {
    const EXIF_AND_XMP: u8 = 0b0000_1100;
    for chunk in webp.chunks_mut().iter_mut() {
        if chunk.id() != CHUNK_VP8X {
            continue;
        }
        if let Some(data) = chunk.content().data() {
            let mut header = data.to_vec();
            if let Some(flags) = header.first_mut() {
                *flags &= !EXIF_AND_XMP;
            }
            *chunk = RiffChunk::new(CHUNK_VP8X, RiffContent::Data(Bytes::from(header)));
        }
    }
}

#[cfg(test)]
mod tests;
