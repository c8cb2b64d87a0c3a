//! Pictures made here by a real encoder (the `image` crate, for the tests only), given EXIF with
//! a GPS position and text chunks as a phone or an editor would, then taken.

use super::*;
use image::{ImageEncoder, RgbImage};

/// What a phone's EXIF carries: a TIFF header, then (for the test) the GPS position in words,
/// easy to look for in the bytes kept.
const GPS: &[u8] = b"MM\x00\x2a\x00\x00\x00\x08GPSLatitude -21.0096 GPSLongitude 55.2707";

fn pixels(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 128]))
}

/// A picture of `width` × `height` in `format`, written by the format's real encoder.
fn encoded(format: Format, width: u32, height: u32) -> Vec<u8> {
    use image::codecs::{jpeg::JpegEncoder, png::PngEncoder, webp::WebPEncoder};
    let (mut out, raw) = (Vec::new(), pixels(width, height));
    let rgb = image::ExtendedColorType::Rgb8;
    match format {
        Format::Jpeg => {
            JpegEncoder::new_with_quality(&mut out, 80).write_image(&raw, width, height, rgb)
        }
        Format::Png => PngEncoder::new(&mut out).write_image(&raw, width, height, rgb),
        Format::Webp => WebPEncoder::new_lossless(&mut out).write_image(&raw, width, height, rgb),
    }
    .unwrap();
    out
}

/// `bytes` with `GPS` as its EXIF, as a phone's photo has.
fn with_exif(format: Format, bytes: Vec<u8>) -> Vec<u8> {
    let mut image = img_parts::DynImage::from_bytes(Bytes::from(bytes))
        .unwrap()
        .unwrap();
    image.set_exif(Some(Bytes::from_static(GPS)));
    let mut out = image.encoder().bytes().to_vec();
    if format == Format::Png {
        // And an editor's text chunk, before the image data.
        let mut png = Png::from_bytes(Bytes::from(out)).unwrap();
        let text = img_parts::png::PngChunk::new(*b"tEXt", Bytes::from_static(b"Author\0Ana"));
        png.chunks_mut().insert(1, text);
        out = png.encoder().bytes().to_vec();
    }
    out
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn a_photo_keeps_its_pixels_and_loses_its_exif_and_gps_in_every_format() {
    for format in [Format::Jpeg, Format::Png, Format::Webp] {
        let tagged = with_exif(format, encoded(format, 64, 48));
        assert!(
            holds(&tagged, b"GPSLatitude"),
            "{format:?}: the fixture carries GPS"
        );
        let kept = accept(&tagged).unwrap();
        assert_eq!((kept.format, kept.width, kept.height), (format, 64, 48));
        assert!(
            !holds(&kept.bytes, b"GPSLatitude"),
            "{format:?}: no GPS position kept"
        );
        assert!(!holds(&kept.bytes, b"Exif"), "{format:?}: no EXIF kept");
        assert!(!holds(&kept.bytes, b"Author"), "{format:?}: no text kept");
        let decoded = image::load_from_memory(&kept.bytes).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (64, 48),
            "{format:?} still decodes"
        );
    }
}

#[test]
fn a_webp_no_longer_announces_the_metadata_it_lost() {
    let kept = accept(&with_exif(Format::Webp, encoded(Format::Webp, 8, 8))).unwrap();
    let webp = WebP::from_bytes(Bytes::from(kept.bytes)).unwrap();
    let header = webp
        .chunk_by_id(CHUNK_VP8X)
        .and_then(|c| c.content().data().cloned());
    if let Some(header) = header {
        assert_eq!(header[0] & 0b0000_1100, 0, "EXIF and XMP flags cleared");
    }
    assert!(!webp.has_chunk(CHUNK_EXIF) && !webp.has_chunk(CHUNK_XMP));
}

#[test]
fn the_type_comes_from_the_bytes_and_the_size_is_bounded() {
    let text = b"<?php echo 'pas une image'; ?>".repeat(10);
    let refused = accept(&text).unwrap_err();
    assert_eq!(
        refused.code,
        ErrorCode::UnsupportedMediaType,
        "a script renamed .jpg"
    );
    let cut = &encoded(Format::Jpeg, 16, 16)[..20];
    assert_eq!(
        accept(cut).unwrap_err().code,
        ErrorCode::UnsupportedMediaType,
        "a cut file"
    );
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
    assert_eq!(
        accept(gif).unwrap_err().code,
        ErrorCode::UnsupportedMediaType
    );
    let mut big = encoded(Format::Jpeg, 16, 16);
    big.resize(MAX_BYTES + 1, 0);
    assert_eq!(accept(&big).unwrap_err().code, ErrorCode::PayloadTooLarge);
    assert_eq!(
        Format::sniff(&encoded(Format::Png, 1, 1)),
        Some(Format::Png)
    );
    assert_eq!(Format::Webp.content_type(), "image/webp");
}

#[test]
fn a_photo_needs_its_alternative_text_and_a_logo_does_not() {
    assert_eq!(
        Role::Photo
            .alt(Some("  Le potager en juin "))
            .unwrap()
            .as_deref(),
        Some("Le potager en juin")
    );
    assert_eq!(
        Role::Photo.alt(Some("  ")).unwrap_err().field.as_deref(),
        Some("alt")
    );
    assert_eq!(
        Role::Photo.alt(None).unwrap_err().code,
        ErrorCode::InvalidField
    );
    assert_eq!(Role::Logo.alt(None).unwrap(), None);
    let long = "a".repeat(MAX_ALT_CHARS + 1);
    assert!(Role::Banner.alt(Some(&long)).is_err());
    assert_eq!(Role::parse("banner"), Some(Role::Banner));
    assert_eq!(Role::parse("avatar"), None);
}

fn row(id: &str, role: Role, created_at: i64, small: (u32, u32)) -> PictureRow {
    PictureRow {
        id: id.into(),
        element_id: "e1".into(),
        role,
        format: Format::Webp,
        width: 800,
        height: 600,
        small_width: small.0,
        small_height: small.1,
        alt: String::new(),
        bytes: 10,
        author_id: None,
        created_at,
    }
}

#[test]
fn a_picture_is_served_only_under_a_name_we_make() {
    assert_eq!(served("pic_abc-DEF_1.jpg"), Some(Format::Jpeg));
    assert_eq!(served("pic_abc-small.webp"), Some(Format::Webp));
    assert_eq!(served("../schema.sql"), None);
    assert_eq!(served("pic.gif"), None);
    assert_eq!(served(".png"), None);
    assert_eq!(served("a b.png"), None);
    assert_eq!(file_name("p1", Format::Png, true), "p1-small.png");
    assert_eq!(url("p1.png"), "/media/p1.png");
}

#[test]
fn a_gallery_shows_the_newest_logo_and_photos_in_order_with_their_small_variant() {
    let rows = [
        row("old", Role::Logo, 1, (200, 150)),
        row("new", Role::Logo, 2, (800, 600)),
        row("p2", Role::Photo, 5, (320, 240)),
        row("p1", Role::Photo, 3, (320, 240)),
    ];
    let gallery = Gallery::of(&rows);
    let logo = gallery.logo.expect("a logo");
    assert_eq!(logo.id, "new");
    // No smaller variant was sent: lists show the picture itself.
    assert_eq!(logo.small.url, "/media/new.webp");
    assert!(gallery.banner.is_none());
    let photos: Vec<_> = gallery.photos.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(photos, ["p1", "p2"]);
    assert_eq!(gallery.photos[0].small.url, "/media/p1-small.webp");
    assert_eq!(rows[2].files(), ["p2.webp", "p2-small.webp"]);
    assert_eq!(rows[1].files(), ["new.webp"]);
}

#[test]
fn a_small_variant_is_kept_only_when_it_is_smaller_and_of_the_same_format() {
    let picture = accept(&encoded(Format::Png, 64, 48)).unwrap();
    let small = accept(&encoded(Format::Png, 32, 24)).unwrap();
    let other = accept(&encoded(Format::Jpeg, 32, 24)).unwrap();
    assert!(small_fits(&picture, &small));
    assert!(!small_fits(&small, &picture));
    assert!(
        !small_fits(&picture, &picture),
        "the same size is no small variant"
    );
    assert!(!small_fits(&picture, &other));
}
