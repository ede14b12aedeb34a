"""The personal-data ZIP: its CSV files are written like every CSV download of the site."""

import csv
import io
import json
import zipfile

from privacy.export import build_zip
from privacy.registry import DataSection


def test_each_section_is_a_csv_with_every_column_and_formulas_neutralised():
    sections = [
        DataSection(
            "posts",
            [
                {"title": '=HYPERLINK("http://x")', "words": 3},
                {"title": "Cuidados en Chiapas", "tags": ["cuidado", "hogar"]},
            ],
        ),
        DataSection("empty"),
    ]
    archive = zipfile.ZipFile(io.BytesIO(build_zip(sections)))
    text = archive.read("posts.csv").decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [
        ["title", "words", "tags"],
        ['\'=HYPERLINK("http://x")', "3", ""],
        ["Cuidados en Chiapas", "", json.dumps(["cuidado", "hogar"])],
    ]
    assert archive.read("empty.csv").decode("utf-8") == "\ufeffempty\r\n"
    assert json.loads(archive.read("data.json"))["posts"][0]["title"] == '=HYPERLINK("http://x")'
