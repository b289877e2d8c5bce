"""Writes list-2023.xls, the Excel 97-2003 workbook tests/test_import.py imports (synthetic test numbers).

Run by hand, with xlwt installed (`pip install xlwt`; only this script needs it, the tests read the file it wrote):
    python tests/data/sheets/make_xls.py
"""

import datetime as dt
from pathlib import Path

import xlwt  # type: ignore[import-not-found]

book = xlwt.Workbook(encoding="utf-8")
old = book.add_sheet("旧数据")  # hidden: an import reads it only when named
old.write(0, 0, "标准号")
old.write(0, 1, "标准名称")
old.write(1, 0, "GB/T 20050-2010")
old.write(1, 1, "隐藏工作表中的旧版")
old.visibility = 1
sheet = book.add_sheet("目录")
date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
sheet.write_merge(0, 0, 0, 4, "2023 年基本公共服务标准目录")
sheet.write_merge(1, 2, 0, 0, "序号")
sheet.write_merge(1, 1, 1, 2, "标准")  # over 标准号 | 标准名称 in the row below
sheet.write_merge(1, 2, 3, 3, "发布日期")  # merged down: the row below is empty here
sheet.write_merge(1, 2, 4, 4, "实施日期")
sheet.write(2, 1, "标准号")
sheet.write(2, 2, "标准名称")
sheet.write(3, 0, 1)
sheet.write(3, 1, "GB/T 20050-2023")
sheet.write(3, 2, "旧格式表格中的国家标准")
sheet.write(3, 3, dt.date(2023, 7, 1), date)  # a date cell
sheet.write(3, 4, "2023-10-01")  # a date typed as text
sheet.write(4, 0, 2)
sheet.write(4, 1, "DB32/T 20051-2023")
sheet.write(4, 2, "旧格式表格中的地方标准")
sheet.write(4, 3, dt.date(2023, 8, 15), date)
sheet.write_merge(5, 5, 0, 4, "注：以上标准均为推荐性标准")
book.active_sheet = 1
book.save(str(Path(__file__).with_name("list-2023.xls")))
