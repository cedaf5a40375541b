"""Writes the seed files of the fuzz targets (fuzz/seeds/<target>/), made the way real producers
make them: photos with EXIF/GPS by Pillow, PDFs with object streams, scripts, attachments and
encryption by qpdf (pikepdf), a workbook by openpyxl. Needs: pip install pillow pikepdf openpyxl.
Run from the repository root: python3 fuzz/seeds/make_seeds.py
attachment/chromium-print.pdf is Chromium's print to PDF of a small Chinese receipt page
(chromium --headless --print-to-pdf), and chromium-qpdf-objstm.pdf the same saved by pikepdf with
object streams; they are made by hand, not by this script.
"""

import io
import os
import zlib

import openpyxl
import pikepdf
from PIL import Image, ImageDraw

ROOT = os.path.join(os.path.dirname(__file__))


def put(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def picture(size=(48, 32)):
    im = Image.new("RGB", size, (200, 220, 240))
    d = ImageDraw.Draw(im)
    d.rectangle([4, 4, size[0] - 8, size[1] - 8], outline=(200, 30, 30), width=2)
    d.line([0, size[1], size[0], 0], fill=(10, 90, 10), width=3)
    return im


def exif_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"  # Make
    exif[0x0112] = 6  # Orientation
    exif[0x0131] = "MIUI Camera"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (31.0, 17.0, 56.3)
    gps[3] = "E"
    gps[4] = (120.0, 35.0, 7.1)
    return exif


def images():
    out = {}
    im = picture()
    b = io.BytesIO()
    im.save(b, "JPEG", quality=80, exif=exif_with_gps(), comment=b"secret comment")
    out["photo-exif-gps.jpg"] = b.getvalue()
    b = io.BytesIO()
    im.save(b, "JPEG", quality=60, progressive=True, icc_profile=b"\0" * 128)
    out["progressive-icc.jpg"] = b.getvalue()
    b = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张三")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 31N</x:xmpmeta>")
    im.save(b, "PNG", pnginfo=info, exif=exif_with_gps())
    out["text-exif.png"] = b.getvalue()
    b = io.BytesIO()
    im.convert("P").save(b, "PNG", transparency=0)
    out["palette.png"] = b.getvalue()
    frames = [picture((24, 16)).convert("P"), picture((24, 16)).rotate(180).convert("P")]
    b = io.BytesIO()
    frames[0].save(b, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=100, comment=b"made by hand")
    out["animated.gif"] = b.getvalue()
    for name, kw in [("lossy.webp", {"quality": 50}), ("lossless.webp", {"lossless": True})]:
        b = io.BytesIO()
        im.save(b, "WEBP", exif=exif_with_gps(), **kw)
        out[name] = b.getvalue()
    b = io.BytesIO()
    frames[0].convert("RGB").save(b, "WEBP", save_all=True, append_images=[frames[1].convert("RGB")], duration=100)
    out["animated.webp"] = b.getvalue()
    return out


def pdf(build, **save):
    p = pikepdf.new()
    p.add_blank_page(page_size=(200, 200))
    page = p.pages[0]
    page.Contents = p.make_stream(b"BT /F1 12 Tf 20 100 Td (Receipt 5000) Tj ET")
    build(p)
    b = io.BytesIO()
    p.save(b, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True, **save)
    return b.getvalue()


def pdfs():
    out = {}
    out["plain-objstm.pdf"] = pdf(lambda p: None)

    def open_action(p):
        p.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))

    out["open-action-js.pdf"] = pdf(open_action)

    def destination(p):
        p.Root.OpenAction = pikepdf.Array([p.pages[0].obj, pikepdf.Name.Fit])

    out["open-destination.pdf"] = pdf(destination)

    def attach(p):
        p.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(p, b"MZ\x90\x00")

    out["embedded-file.pdf"] = pdf(attach)
    out["encrypted.pdf"] = pdf(lambda p: None, encryption=pikepdf.Encryption(owner="o", user="", R=6))
    return out


def main():
    imgs = images()
    docs = pdfs()
    for name, data in imgs.items():
        put("attachment", name, data)
        put("image_header", name, data)
    for name, data in docs.items():
        put("attachment", name, data)
        put("pdf", name, data)
    put("pdf", "hand-made-objstm.pdf", b"%PDF-1.5\n5 0 obj<</Type/ObjStm/N 1/First 4/Filter/FlateDecode>>stream\n"
        + zlib.compress(b"1 0 <</Type/Catalog/OpenAction[3 0 R/Fit]>>") + b"\nendstream\nendobj\n%%EOF\n")

    for name, text in {
        "tracking.txt": "2611-K7M3-9QXD-HF",
        "uscc.txt": "91110000600037341L",
        "id.txt": "11010519491231002X",
        "mobile.txt": "+86 138-1234-5678",
        "region.txt": "320508",
        "username.txt": "officer.li",
    }.items():
        put("identifiers", name, text.encode())

    for name, text in {
        "complaint.txt": "我叫张伟，身份证号11010519491231002X，电话13812345678，住在苏州市姑苏区人民路88号3幢201室。",
        "mixed.txt": "联系人：李秀英（138 1234 5678），邮箱li.xy@example.com，银行卡6222 0212 3456 7890 123。",
        "fullwidth.txt": "电话１３８１２３４５６７８，王先生说店员欧阳娜娜态度恶劣。",
    }.items():
        put("masker", name, text.encode())

    targets = "统一社会信用代码,企业名称,行业门类,行政区划代码,信用风险分类,状态\n" \
        "91110000600037341L,苏州姑苏示例健身管理有限公司,R,320508,B,在业\n" \
        "913205081234567,坏的代码,X,3205,E,\n"
    put("import_table", "targets.csv", targets.encode())
    inspectors = "\ufeff执法证号,姓名,单位,专业领域,状态,账户\n" \
        "32050800001,王芳,姑苏区市场监督管理局,\"食品;特种设备\",在岗,officer.li\n" \
        "32050800002,\"李\"\"强\",吴中区市场监督管理局,,,\n"
    put("import_table", "inspectors.csv", inspectors.encode())
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [line.split(",") for line in targets.strip().split("\n")]:
        ws.append(row)
    b = io.BytesIO()
    wb.save(b)
    put("import_table", "targets.xlsx", b.getvalue())

    cases = "kind,received_on,region_code,enterprise_name,enterprise_uscc,industry,category,subject,demand," \
        "amount_cents,complainant_name,complainant_mobile,complainant_id_number,complainant_address,consent," \
        "closed,closed_on,closed_on_time,mediation_result,rating,recovered_cents,narrative\n" \
        "complaint,2026-03-02,320508,苏州姑苏示例健身管理有限公司,91110000600037341L,R,预付卡,健身,退款," \
        "500000,李秀英,13812345678,11010519491231002X,苏州市姑苏区人民路88号,1,1,2026-03-20,1,settled,5,400000," \
        "\"健身房关门跑路，预付卡余额退不了，电话13812345678。\"\n" \
        "report,2026-02-30,3205,无名店,,Q,,,,abc,,,,,0,0,,,,,,\"举报\"\"三无\"\"产品\"\n"
    put("import_cases", "cases.csv", cases.encode())

    for name, body in {
        "intake.json": '{"kind":"complaint","enterprise_name":"苏州姑苏示例健身管理有限公司","uscc":"91110000600037341L",'
        '"industry":"R","region_code":"320508","narrative":"健身房关门","amount":"5000","demand":"退款",'
        '"name":"李秀英","mobile":"13812345678","address":"苏州市姑苏区人民路88号"}',
        "token.json": '{"username":"officer.li","password":"correct horse"}',
        "user.json": '{"username":"a","display_name":"张","roles":["officer","supervisor"],"org_id":"x"}',
        "draw.json": '{"pool":["a","b"],"count":1,"source":"上证指数 3391.35"}',
    }.items():
        put("api_json", name, body.encode())


if __name__ == "__main__":
    main()
