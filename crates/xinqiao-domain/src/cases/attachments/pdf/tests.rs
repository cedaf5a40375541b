//! Tests of the PDF check on files built the way producers (and attackers) write them.

use super::filters::zlib;
use super::*;
use crate::cases::attachments::{MediaType, sanitize};

/// A file from numbered object bodies (`n 0 obj … endobj`), with a header and trailer.
fn pdf(objects: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    for (n, body) in objects {
        out.extend_from_slice(format!("{n} 0 obj\n").as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    out.extend_from_slice(b"trailer\n<</Size 20/Root 1 0 R>>\nstartxref\n0\n%%EOF\n");
    out
}

/// A stream object: its dictionary entries (without /Length) and raw data.
fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    [format!("<<{dict}/Length {}>>stream\n", data.len()).as_bytes(), data, b"\nendstream"].concat()
}

/// The body of an object stream holding `objects`, as PDF writers lay it out.
fn objstm_data(objects: &[(u32, &[u8])]) -> (Vec<u8>, usize) {
    let mut header = String::new();
    let mut body = Vec::new();
    for (n, obj) in objects {
        header.push_str(&format!("{n} {} ", body.len()));
        body.extend_from_slice(obj);
        body.push(b'\n');
    }
    let first = header.len();
    ([header.into_bytes(), body].concat(), first)
}

/// A Flate-compressed object stream object.
fn objstm(objects: &[(u32, &[u8])]) -> Vec<u8> {
    let (data, first) = objstm_data(objects);
    stream(&format!("/Type/ObjStm/N {}/First {first}/Filter/FlateDecode", objects.len()), &zlib(&data))
}

fn catalog_in_objstm(catalog: &[u8]) -> Vec<u8> {
    pdf(&[
        (5, objstm(&[(1, catalog), (2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>"), (3, b"<</Type/Page/Parent 2 0 R>>")])),
        (6, stream("/Filter/FlateDecode", &zlib(b"BT /F1 12 Tf (Hello) Tj ET"))),
    ])
}

const SMALL: Limits = Limits { work: 1 << 20, objstm: 4096, other: 4096, depth: MAX_DEPTH };

#[test]
fn open_action_in_a_compressed_object_stream_is_refused() {
    let exploit = catalog_in_objstm(b"<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>");
    assert!(!exploit.windows(10).any(|w| w == b"JavaScript"), "the name is only in compressed data");
    assert_eq!(inspect(&exploit), Verdict::Active("OpenAction"));
    let names = catalog_in_objstm(b"<</Type/Catalog/Names<</JavaScript 9 0 R>>>>");
    assert_eq!(inspect(&names), Verdict::Active("JavaScript"));
    let escaped = catalog_in_objstm(b"<</Type/Catalog/OpenAction 9 0 R>> <</S/L#61unch/F(cmd.exe)>>");
    assert_eq!(inspect(&escaped), Verdict::Active("Launch"));
    for action in
        ["/S/SubmitForm/F(http://x)", "/S/ImportData", "/S/GoToR/F(\\\\\\\\host\\\\x.pdf)", "/S/URI/URI(http://x)"]
    {
        let dict = format!("<</Type/Catalog/OpenAction<<{action}>>>>");
        assert!(matches!(inspect(&catalog_in_objstm(dict.as_bytes())), Verdict::Active(_)), "{action}");
    }
    let aa = catalog_in_objstm(b"<</Type/Catalog/AA<</WC 9 0 R>>>>");
    assert_eq!(inspect(&aa), Verdict::Active("AA"));
}

#[test]
fn object_streams_are_found_however_their_dictionary_is_written() {
    let (data, first) = objstm_data(&[(1, b"<</Names<</EmbeddedFiles 4 0 R>>>>")]);
    let packed = zlib(&data);
    for dict in [
        format!("/N 1/First {first}/Filter/FlateDecode"),
        format!("/Type/ObjStm/N 1/First {first}/F/Fl"),
        format!("/Type/Obj#53tm/N 1/First {first}/Filter[/FlateDecode]"),
    ] {
        assert_eq!(inspect(&pdf(&[(5, stream(&dict, &packed))])), Verdict::Active("EmbeddedFiles"), "{dict}");
    }
    // An indirect length, and `stream` right after the dictionary with only CR LF.
    let indirect = [
        &b"%PDF-1.5\n5 0 obj<</Type/ObjStm/N 1/First "[..],
        first.to_string().as_bytes(),
        b"/Filter/FlateDecode/Length 6 0 R>>stream\r\n",
        &packed,
        b"\r\nendstream endobj 6 0 obj 999 endobj",
    ]
    .concat();
    assert_eq!(inspect(&indirect), Verdict::Active("EmbeddedFiles"));
    // A dictionary that does not parse is still an object stream if it says so.
    let broken = pdf(&[(5, stream(&format!("/Type/ObjStm/First {first} ] /Filter/FlateDecode"), &packed))]);
    assert_eq!(inspect(&broken), Verdict::Active("EmbeddedFiles"));
    let hex: String = packed.iter().map(|b| format!("{b:02X}")).collect();
    let hexed = pdf(&[(5, stream(&format!("/Type/ObjStm/N 1/First {first}/Filter[/AHx/Fl]"), hex.as_bytes()))]);
    assert_eq!(inspect(&hexed), Verdict::Active("EmbeddedFiles"));
}

#[test]
fn what_cannot_be_checked_is_refused_as_unsure() {
    let (data, first) = objstm_data(&[(1, b"<</Type/Catalog>>")]);
    let packed = zlib(&data);
    let with = |dict: String, body: &[u8]| inspect(&pdf(&[(5, stream(&dict, body))]));
    let unsure = |v: Verdict| matches!(v, Verdict::Unsure(_));
    assert!(unsure(with(format!("/Type/ObjStm/N 1/First {first}/Filter/LZWDecode"), &packed)));
    assert!(unsure(with(format!("/Type/ObjStm/N 1/First {first}/Filter/Fl/DecodeParms<</Predictor 12>>"), &packed)));
    assert!(unsure(with(format!("/Type/ObjStm/N 1/First {first}/Filter/Fl"), &packed[..packed.len() / 2])));
    assert!(unsure(with(format!("/Type/ObjStm/N 1/First {first}/Filter/Fl"), b"\x80\x81not zlib")));
    assert_eq!(with(format!("/Type/ObjStm/N 1/First {first}/Filter/Fl"), &packed), Verdict::Clean);
    // A bomb: far more than the budget from a few kilobytes.
    let bomb = pdf(&[(5, stream("/Type/ObjStm/N 1/First 4/Filter/FlateDecode", &zlib(&vec![b' '; 64 * 1024])))]);
    assert_eq!(inspect_with(&bomb, SMALL), Verdict::Unsure("object stream size"));
    // Streams inside streams, deeper than the limit.
    let mut nested = b"<</JS 1 0 R>>".to_vec();
    for _ in 0..=MAX_DEPTH + 1 {
        nested = [&b"1 0 obj<<>>stream\n"[..], &nested, b"\nendstream endobj"].concat();
    }
    let deep = [&b"%PDF-1.4\n"[..], &nested].concat();
    assert_eq!(inspect(&deep), Verdict::Unsure("depth"));
    let shallow = b"%PDF-1.4\n1 0 obj<<>>stream\n2 0 obj<<>>stream\n<</JS 1 0 R>>\nendstream endobj\nendstream endobj";
    assert_eq!(inspect(shallow), Verdict::Active("JS"));
    assert_eq!(inspect_with(&deep, Limits { depth: 2, ..Limits::DEFAULT }), Verdict::Unsure("depth"));
    assert_eq!(inspect_with(&deep, Limits { work: 64, ..Limits::DEFAULT }), Verdict::Unsure("work"));
}

#[test]
fn encrypted_files_are_refused() {
    let mut file = catalog_in_objstm(b"<</Type/Catalog/Pages 2 0 R>>");
    assert_eq!(inspect(&file), Verdict::Clean);
    file.extend_from_slice(b"trailer\n<</Size 9/Root 1 0 R/Encrypt 8 0 R>>\n%%EOF\n");
    assert_eq!(inspect(&file), Verdict::Encrypted);
}

#[test]
fn objects_hidden_where_a_cross_reference_entry_could_point_are_found() {
    // Inside a binary stream body, after a byte that makes it look compressed.
    let hidden = pdf(&[(4, stream("/Subtype/Image", b"\x80\x81\xFF 9 0 obj <</S/JavaScript/JS(x)>> endobj \xFE"))]);
    assert_eq!(inspect(&hidden), Verdict::Active("JavaScript"));
    // An object stream inside a text body.
    let (data, first) = objstm_data(&[(1, b"<</XFA 3 0 R>>")]);
    let inner = stream(&format!("/Type/ObjStm/N 1/First {first}/Filter/AHx"), data_hex(&data).as_bytes());
    let outer = pdf(&[(4, [&b"<</Length 9999>>stream\n7 0 obj\n"[..], &inner, b"\nendobj\n"].concat())]);
    assert_eq!(inspect(&outer), Verdict::Active("XFA"));
    // An unbalanced string before it does not hide an object stream.
    let swallowed =
        [&b"%PDF-1.5\n1 0 obj (unclosed endobj\n"[..], &catalog_in_objstm(b"<</Names<</JavaScript 9 0 R>>>>")].concat();
    assert_eq!(inspect(&swallowed), Verdict::Active("JavaScript"));
}

fn data_hex(data: &[u8]) -> String {
    data.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn plain_files_pass_with_their_destinations() {
    let plain = pdf(&[
        (1, b"<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/XYZ null null 0]/Outlines 7 0 R>>".to_vec()),
        (2, b"<</Type/Pages/Kids[3 0 R]/Count 1>>".to_vec()),
        (3, b"<</Type/Page/Annots[<</Subtype/Link/A<</S/URI/URI(https://www.samr.gov.cn)>>>>]>>".to_vec()),
        (4, stream("/Filter/FlateDecode", &zlib(b"q 1 0 0 1 0 0 cm /Im0 Do Q BT /F1 9 Tf (stream) Tj ET"))),
        (5, stream("/Subtype/Image/Filter/DCTDecode", b"\xFF\xD8\xFF\xE0 JFIF /JS \x00\xFF\xD9")),
        (6, stream("/Length1 9/Filter/FlateDecode", &zlib(b"\x00\x01\x00\x00 /AA glyf"))),
        (7, b"<</First 8 0 R/Last 8 0 R/Count 1>>".to_vec()),
        (
            9,
            stream(
                "/Type/XRef/W[1 2 1]/Filter/FlateDecode/DecodeParms<</Columns 4/Predictor 12>>",
                &zlib(b"\x02\x01\x00"),
            ),
        ),
    ]);
    assert_eq!(inspect(&plain), Verdict::Clean);
    let go_to = catalog_in_objstm(b"<</Type/Catalog/OpenAction<</S/GoTo/D[3 0 R/Fit]>>>>");
    assert_eq!(inspect(&go_to), Verdict::Clean);
    let (data, first) = objstm_data(&[(1, b"<</Type/Catalog/OpenAction 8 0 R>>"), (8, b"[3 0 R/Fit]")]);
    let packed = pdf(&[(5, stream(&format!("/Type/ObjStm/N 2/First {first}/Filter/Fl"), &zlib(&data)))]);
    assert_eq!(inspect(&packed), Verdict::Clean);
    let to_array = pdf(&[(1, b"<</Type/Catalog/OpenAction 8 0 R>>".to_vec()), (8, b"[3 0 R/Fit]".to_vec())]);
    assert_eq!(inspect(&to_array), Verdict::Clean);
    let to_action = pdf(&[(1, b"<</Type/Catalog/OpenAction 8 0 R>>".to_vec()), (8, b"<</S/Named/N/Print>>".to_vec())]);
    assert_eq!(inspect(&to_action), Verdict::Active("OpenAction"));
    let nowhere = pdf(&[(1, b"<</Type/Catalog/OpenAction 8 0 R>>".to_vec())]);
    assert_eq!(inspect(&nowhere), Verdict::Active("OpenAction"));
}

#[test]
fn streams_that_never_end_are_unsure_not_endless() {
    // Each body runs to the end of the file and holds the next stream: the depth limit stops it
    // (and the endstream search is done once per level, not once per stream).
    let file = [&b"%PDF-1.4\n"[..], &b"1 0 obj<<>>stream\nx\n".repeat(200_000)].concat();
    assert_eq!(inspect(&file), Verdict::Unsure("depth"));
    let ended = [&b"%PDF-1.4\n"[..], &b"1 0 obj<<>>stream\nx\nendstream endobj\n".repeat(200_000)].concat();
    assert_eq!(inspect(&ended), Verdict::Clean);
}

#[test]
fn pdf_with_active_content_is_refused_and_plain_pdf_kept() {
    let plain = b"%PDF-1.7\n1 0 obj<</Type/Catalog/OpenAction[3 0 R/Fit]>>endobj\n\
        4 0 obj<</Length 8/Filter/FlateDecode>>stream\n\x9c\x00/JS /XFA\nendstream\n%%EOF\n";
    let cleaned = sanitize(plain).unwrap();
    assert_eq!((cleaned.media, cleaned.bytes.as_slice(), cleaned.stripped), (MediaType::Pdf, &plain[..], false));
    for active in [
        &b"%PDF-1.4\n<</S/JavaScript/JS(app.alert(1))>>"[..],
        b"%PDF-1.4\n<</OpenAction<</S/J#61vaScript>>>>",
        b"%PDF-1.4\n<</S /Launch /F (calc.exe)>>",
        b"%PDF-1.4\n<</Names<</EmbeddedFiles 2 0 R>>>>",
        b"%PDF-1.4\n<</AcroForm<</XFA 5 0 R>>>>",
        b"%PDF-1.5\n5 0 obj<</Type/ObjStm/N 1>>stream\n<</JS 7 0 R>>\nendstream",
    ] {
        let err = sanitize(active).unwrap_err();
        assert_eq!(err.code(), "attachment_active_content", "{}", String::from_utf8_lossy(active));
    }
    assert!(sanitize(b"%PDF-1.4\n<</Type/JSON>>").is_ok(), "names are matched whole");
}

#[test]
fn pdf_refusals_say_why_with_stable_codes() {
    let encrypted = b"%PDF-1.6\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R/Encrypt 2 0 R>>";
    let err = sanitize(encrypted).unwrap_err();
    assert_eq!((err.code(), err.to_string().contains("已加密")), ("attachment_pdf_encrypted", true));
    let lzw = b"%PDF-1.5\n5 0 obj<</Type/ObjStm/N 1/First 4/Filter/LZWDecode/Length 3>>stream\n\x80\x0b\x60\nendstream";
    let err = sanitize(lzw).unwrap_err();
    assert_eq!(err.code(), "attachment_pdf_unverifiable");
    assert!(err.to_string().contains("无法确认") && err.to_string().contains("另存（打印）为普通 PDF"));
    let flate_js = [
        &b"%PDF-1.5\n5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode>>stream\n"[..],
        &zlib(b"1 0 <</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>"),
        b"\nendstream\nendobj\n",
    ]
    .concat();
    assert_eq!(sanitize(&flate_js).unwrap_err().code(), "attachment_active_content");
}
