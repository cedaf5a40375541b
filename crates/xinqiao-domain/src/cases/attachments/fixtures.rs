//! Files as cameras, editors and attackers write them, for the tests of the walkers.

pub(super) fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

pub(super) fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
    [&[0xFF, marker][..], &len, payload].concat()
}

/// SOI, APP0, APP1 EXIF (with GPS), APP1 XMP, COM, DQT, SOF0, SOS + entropy data, EOI.
pub(super) fn jpeg_fixture(exif: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let app0 = segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let scan =
        [segment(0xDA, &[1, 1, 0, 0, 63, 0]), vec![0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]].concat();
    let bytes = [
        vec![0xFF, 0xD8],
        app0.clone(),
        segment(0xE1, exif),
        segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude='31,13.8N'/>"),
        segment(0xFE, b"secret comment"),
        segment(0xDB, &[0; 65]),
        segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]),
        scan.clone(),
    ]
    .concat();
    (bytes, app0, scan)
}

pub(super) const EXIF_GPS: &[u8] = b"Exif\0\0MM\0*\0\0\0\x08\0\0GPS 31.2304N 121.4737E";

pub(super) fn exif_with_orientation(v: u8) -> Vec<u8> {
    [&b"Exif\0\0II*\0\x08\0\0\0\x02\0"[..], &[0x12, 1, 3, 0, 1, 0, 0, 0, v, 0, 0, 0], b"\x25\x88\x04\0\x01\0\0\0GPS!"]
        .concat()
}

pub(super) fn png_chunk(ty: &[u8; 4], data: &[u8]) -> Vec<u8> {
    [&u32::try_from(data.len()).unwrap().to_be_bytes()[..], ty, data, &[0xAB; 4]].concat()
}

pub(super) fn webp_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let pad: &[u8] = if data.len() % 2 == 1 { &[0] } else { &[] };
    [&fourcc[..], &u32::try_from(data.len()).unwrap().to_le_bytes(), data, pad].concat()
}

pub(super) fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body = chunks.concat();
    [&b"RIFF"[..], &u32::try_from(body.len() + 4).unwrap().to_le_bytes(), b"WEBP", &body].concat()
}

pub(super) fn gif_fixture() -> Vec<u8> {
    [
        &b"GIF89a\x01\0\x01\0\x80\0\0"[..],
        &[0, 0, 0, 255, 255, 255],
        b"\x21\xFF\x0bNETSCAPE2.0\x03\x01\0\0\0",
        b"\x21\xFE\x0esecret comment\0",
        b"\x21\xFF\x0bXMP DataXMP\x0a<x:xmpmeta\x05 GPS \0",
        b"\x21\xF9\x04\0\0\0\0\0",
        b"\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x4C\x01\0",
        b"\x3B",
    ]
    .concat()
}

pub(super) fn png_fixture() -> Vec<u8> {
    [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]),
        png_chunk(b"tEXt", b"Author\0Zhang San"),
        png_chunk(b"eXIf", b"MM\0*GPS"),
        png_chunk(b"IDAT", b"\x78\x9c\x63\0\0\0\x02\0\x01"),
        png_chunk(b"tIME", &[7, 234, 1, 1, 0, 0, 0]),
        png_chunk(b"IEND", b""),
    ]
    .concat()
}
