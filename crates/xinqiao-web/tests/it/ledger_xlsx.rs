//! The ledger's XLSX import with real workbooks written here by rust_xlsxwriter (shared strings,
//! numbers, date-formatted cells, a table that does not start at A1): all or nothing, each bad row
//! named by its row number and its column (letter and name); old .xls files, stray far cells and
//! zip bombs refused; the same through the phone page.

use crate::helpers::*;
use crate::ledger::{enterprise, party, uscc};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

/// A cell as a person types it into Excel.
enum C {
    S(&'static str),
    N(f64),
    /// A date cell (a serial number with a date format).
    D(u16, u8, u8),
    Skip,
}

const HEAD: [&str; 10] =
    ["类型", "商品条码", "品名", "规格", "批号", "数量", "单位", "日期", "到期日期", "供应商或购货方"];

/// A workbook whose first sheet holds `rows` from (`top`, `left`) (0-based), the heading first.
fn workbook(top: u32, left: u16, heading: &[&str], rows: &[Vec<C>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (i, h) in heading.iter().enumerate() {
        sheet.write_string(top, left + i as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let at = top + 1 + r as u32;
        for (i, cell) in row.iter().enumerate() {
            let col = left + i as u16;
            match cell {
                C::S(s) => {
                    sheet.write_string(at, col, *s).unwrap();
                }
                C::N(n) => {
                    sheet.write_number(at, col, *n).unwrap();
                }
                C::D(y, m, d) => {
                    sheet
                        .write_datetime_with_format(at, col, ExcelDateTime::from_ymd(*y, *m, *d).unwrap(), &date)
                        .unwrap();
                }
                C::Skip => {}
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn send(app: &TestApp, token: &str, bytes: Vec<u8>, name: &str) -> (StatusCode, Value) {
    let form = Form::new().part("file", Part::bytes(bytes).file_name(name.to_owned()));
    let res =
        Client::new().post(app.url("/api/v1/ledger/import")).bearer_auth(token).multipart(form).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

fn messages(v: &Value) -> Vec<String> {
    v["error"]["fields"].as_array().map_or_else(
        || vec![v["error"]["message"].as_str().unwrap_or_default().to_owned()],
        |fs| fs.iter().map(|f| f["message"].as_str().unwrap().to_owned()).collect(),
    )
}

fn good_rows() -> Vec<Vec<C>> {
    use C::*;
    vec![
        vec![
            S("进货"),
            N(6_901_234_567_892.0),
            S("小麦粉"),
            S("5kg"),
            S("M1"),
            N(10.0),
            S("袋"),
            D(2026, 11, 1),
            D(2027, 4, 1),
            S("苏州粮油批发部"),
        ],
        vec![
            S("销售"),
            N(6_901_234_567_892.0),
            Skip,
            Skip,
            S("M1"),
            N(4.0),
            S("袋"),
            D(2026, 11, 2),
            Skip,
            S("苏州粮油批发部"),
        ],
    ]
}

#[tokio::test]
async fn an_xlsx_workbook_is_imported_all_or_nothing_each_bad_row_named_by_row_and_column() {
    use C::*;
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let shop = enterprise(&app, "shop", &uscc(51), Some(&b.gusu)).await;
    party(&app, &shop, "苏州粮油批发部", None).await;

    // The table starts at B2 (a margin, as people leave one): rows and letters are the sheet's.
    let mut rows = good_rows();
    rows.truncate(1);
    rows.push(vec![
        S("进货"),
        N(6_901_234_567_893.0),
        S("大米"),
        S("10kg"),
        S("R1"),
        N(5.0),
        S("袋"),
        D(2026, 11, 1),
        Skip,
        S("苏州粮油批发部"),
    ]);
    rows.push(vec![]);
    rows.push(vec![
        S("退货"),
        N(6_901_234_567_892.0),
        Skip,
        Skip,
        S("M1"),
        S("abc"),
        S("袋"),
        D(2026, 11, 2),
        Skip,
        S("不认识的供应商"),
    ]);
    let (s, v) = send(&app, &shop, workbook(1, 1, &HEAD, &rows), "台账.xlsx").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let msgs = messages(&v);
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs[0].starts_with("第4行：C列“商品条码”：") && msgs[0].contains("校验位"), "{msgs:?}");
    assert!(msgs[1].starts_with("第6行："), "{msgs:?}");
    for part in ["B列“类型”：", "G列“数量”：", "K列“供应商或购货方”：", "尚未登记"] {
        assert!(msgs[1].contains(part), "{part} in {msgs:?}");
    }
    let (_, o) = crate::ledger::call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    assert!(o["lines"].as_array().unwrap().is_empty(), "nothing written");

    // An unknown heading is named with its cell.
    let mut head = HEAD.to_vec();
    head[2] = "颜色";
    let (s, v) = send(&app, &shop, workbook(1, 1, &head, &good_rows()), "台账.xlsx").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(messages(&v), ["第2行 D列：不认识的列“颜色”"], "{v}");

    // Numbers and dates as Excel keeps them read as people see them.
    let (s, v) = send(&app, &shop, workbook(0, 0, &HEAD, &good_rows()), "台账.xlsx").await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["lines"], 2);
    let (_, o) = crate::ledger::call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    let lines = o["lines"].as_array().unwrap();
    let bought = lines.iter().find(|l| l["kind"] == "purchase").unwrap();
    assert_eq!((bought["gtin"].as_str(), bought["quantity"].as_str()), (Some("6901234567892"), Some("10")));
    assert_eq!((bought["date"].as_str(), bought["expiry"].as_str()), (Some("2026-11-01"), Some("2027-04-01")));
    assert_eq!(bought["party"], "苏州粮油批发部");
    assert_eq!(o["stock"][0]["on_hand"], "6");
}

#[tokio::test]
async fn an_old_xls_a_stray_far_cell_and_a_zip_bomb_are_refused_in_chinese() {
    use std::io::Write;
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let shop = enterprise(&app, "shop", &uscc(52), Some(&b.gusu)).await;
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend([0u8; 504]);
    let (s, v) = send(&app, &shop, xls, "台账.xls").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(messages(&v)[0].contains("旧版 Excel（.xls）"), "{v}");

    // One cell at XFD1048576 would make a dense reader allocate billions of cells.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (i, h) in HEAD.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let (s, v) = send(&app, &shop, book.save_to_buffer().unwrap(), "台账.xlsx").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(messages(&v)[0].contains("第1048576行 XFD列：表格最多 64 列"), "{v}");

    // A part of 4 MiB of zeros packs to a few KiB: refused before it is read.
    let mut packed = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut packed);
    let deflate = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/sharedStrings.xml", deflate).unwrap();
    zip.write_all(&vec![b'0'; 4 << 20]).unwrap();
    zip.finish().unwrap();
    let bytes = packed.into_inner();
    assert!(bytes.len() < 100_000);
    let (s, v) = send(&app, &shop, bytes, "台账.xlsx").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(messages(&v)[0].contains("压缩比异常"), "{v}");
    // A text file named .xlsx is read as the CSV it is (and refused as one, by its columns).
    let (s, v) = send(&app, &shop, "颜色\n红\n".as_bytes().to_vec(), "台账.xlsx").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(messages(&v)[0].contains("不认识的列“颜色”"), "{v}");
    let (_, o) = crate::ledger::call(&app, &shop, "GET", "/api/v1/ledger", None).await;
    assert!(o["lines"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_phone_page_imports_a_workbook_and_lists_the_bad_rows_with_their_columns() {
    use C::*;
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let shop = enterprise(&app, "shop", &uscc(53), Some(&b.gusu)).await;
    party(&app, &shop, "苏州粮油批发部", None).await;
    let c = app.client();
    app.login(&c, "shop", PASSWORD).await;
    let page = app.page(&c, "/ledger").await;
    assert!(page.contains("从表格导入（Excel .xlsx 或 CSV）") && page.contains("accept=\".xlsx,"), "{page}");
    let csrf = csrf_of(&page);
    let upload = |bytes: Vec<u8>| {
        let form = Form::new().text("csrf", csrf.clone()).part("file", Part::bytes(bytes).file_name("台账.xlsx"));
        c.post(app.url("/ledger/import")).multipart(form).send()
    };
    let mut rows = good_rows();
    rows[1][5] = N(-3.0);
    let res = upload(workbook(0, 0, &HEAD, &rows)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("id=\"ledger-errors\""), "{body}");
    assert!(body.contains("第3行：F列“数量”："), "{body}");
    let res = upload(workbook(0, 0, &HEAD, &good_rows())).await.unwrap();
    assert_eq!(location(&res), Some("/ledger?done=imported&n=2"));
    let page = app.page(&c, "/ledger?done=imported").await;
    assert!(page.contains("已导入") && page.contains("小麦粉"), "{page}");
}
