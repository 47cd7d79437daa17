"""The showcase part of the demo (``manage.py load_demo``): honours, studio
photos, contacts and equipment, alliance chairs and bodies, and stories, read
from demo/showcase.json.

Idempotent by filling only what is empty: a second run finds everything filled
and writes nothing; what union staff changed in the admin is kept. Pictures are
drawn here with Pillow (no download) and say in their titles that they are
generated."""

import datetime
import io
import json
import random

from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from core.snippets import District, Honour, IndustryChain
from organisations.models import Enterprise

from .models import (
    AllianceChair,
    AllianceIndexPage,
    AlliancePage,
    StoryIndexPage,
    StoryPage,
    Studio,
    StudioMember,
    StudioPhoto,
)

GENERATED = "（生成的演示图 · generated）"
SIZE = (960, 640)


def load_showcase(path, *, log=lambda message: None):
    data = json.loads(path.read_text(encoding="utf-8"))
    with transaction.atomic():
        _english_names(data.get("english_names", {}))
        honours = _honours(data.get("honours", []))
        images = _Images(data.get("images", {}))
        filled = _studios(data.get("studios", {}), honours, images)
        filled += _alliances(data.get("alliances", {}))
        filled += _stories(data.get("stories", []), images)
        filled += _index_titles(data.get("index_titles_en", {}))
    log(
        f"showcase: {images.created} images drawn, {filled} studios, alliances "
        f"and stories filled"
    )


def _english_names(names):
    """English names of industry chains, districts and enterprises, for /en/;
    only where none is recorded (staff may have written their own)."""
    for key, model in (
        ("chains", IndustryChain),
        ("districts", District),
        ("enterprises", Enterprise),
    ):
        for name, english in names.get(key, {}).items():
            model.objects.filter(name=name, name_en="").update(name_en=english)


def _honours(records):
    honours = {}
    for record in records:
        honour, _ = Honour.objects.get_or_create(
            name=record["name"],
            defaults={
                "name_en": record.get("name_en", ""),
                "awarded_by": record.get("awarded_by", ""),
            },
        )
        honours[honour.name] = honour
    return honours


class _Images:
    """Wagtail images by key, drawn on first use and found by title after."""

    def __init__(self, specs):
        self.specs, self.found, self.created = specs, {}, 0

    def __getitem__(self, key):
        if key not in self.found:
            spec = self.specs[key]
            title = f"{spec['label']} · {key}{GENERATED}"
            Image = get_image_model()
            image = Image.objects.filter(title=title).first()
            if image is None:
                image = Image(title=title)
                image.file = ImageFile(
                    draw(key, spec["motif"], spec["palette"]), name=f"demo-{key}.png"
                )
                image.save()
                self.created += 1
            self.found[key] = image
        return self.found[key]


def _studios(records, honours, images):
    filled = 0
    studios = Studio.objects.in_bulk(list(records), field_name="slug")
    for slug, record in records.items():
        studio = studios.get(slug)
        if studio is None:
            continue
        changed = [
            field
            for field in (
                "name_en",
                "equipment",
                "contact_name",
                "contact_phone",
                "contact_email",
            )
            if record.get(field) and not getattr(studio, field)
        ]
        for field in changed:
            setattr(studio, field, record[field])
        if changed:
            studio.save(update_fields=[*changed, "updated_at"])
        if record.get("honours") and not studio.honours.exists():
            Studio.honours.through.objects.bulk_create(
                [
                    Studio.honours.through(studio=studio, honour=honours[name])
                    for name in record["honours"]
                ]
            )
            changed.append("honours")
        if record.get("photos") and not studio.photos.exists():
            for order, (key, caption) in enumerate(record["photos"]):
                StudioPhoto.objects.create(
                    studio=studio, image=images[key], caption=caption, sort_order=order
                )
            changed.append("photos")
        if record.get("leader_photo"):
            leader = (
                StudioMember.objects.filter(
                    studio=studio, role=StudioMember.Role.LEADER
                )
                .select_related("craftsman")
                .first()
            )
            if leader and leader.craftsman.photo_id is None:
                leader.craftsman.photo = images[record["leader_photo"]]
                leader.craftsman.save(update_fields=["photo"])
                changed.append("leader_photo")
        filled += bool(changed)
    return filled


def _alliances(records):
    filled = 0
    for title, record in records.items():
        page = AlliancePage.objects.filter(title=title).first()
        if page is None:
            continue
        changed = False
        if not page.title_en and record.get("title_en"):
            page.title_en, changed = record["title_en"], True
        if page.founded_year is None and record.get("founded_year"):
            page.founded_year, changed = record["founded_year"], True
        if not page.intro and record.get("intro"):
            page.intro, changed = record["intro"], True
        if not page.body and record.get("body"):
            page.body, changed = json.dumps(record["body"], ensure_ascii=False), True
        if not page.chairs.exists() and record.get("chairs"):
            page.chairs = [
                AllianceChair(
                    enterprise=Enterprise.objects.get_or_create(name=name)[0],
                    start_year=start,
                    end_year=end,
                    sort_order=order,
                )
                for order, (name, start, end) in enumerate(record["chairs"])
            ]
            changed = True
        if changed:
            page.save_revision().publish()
            filled += 1
    return filled


def _stories(records, images):
    index = StoryIndexPage.objects.first()
    if index is None:
        return 0
    existing = {page.slug: page for page in StoryPage.objects.child_of(index)}
    alliances = {page.title: page for page in AlliancePage.objects.all()}
    filled = 0
    for record in records:
        if record["slug"] in existing:
            story = existing[record["slug"]]
            if not story.title_en and record.get("title_en"):
                story.title_en = record["title_en"]
                story.save_revision().publish()
                filled += 1
            continue
        body = [
            {
                **block,
                "value": {
                    **block["value"],
                    "image": images[block["value"]["image"]].pk,
                },
            }
            if block["type"] == "image"
            else block
            for block in record["body"]
        ]
        story = StoryPage(
            title=record["title"],
            title_en=record.get("title_en", ""),
            slug=record["slug"],
            date=datetime.date.fromisoformat(record["date"]),
            intro=record["intro"],
            image=images[record["image"]] if record.get("image") else None,
            body=json.dumps(body, ensure_ascii=False),
            alliance=alliances.get(record.get("alliance")),
        )
        story.studios = list(Studio.objects.filter(slug__in=record.get("studios", [])))
        index.add_child(instance=story)
        story.save_revision().publish()
        filled += 1
    return filled


def _index_titles(titles):
    """The English titles of the story and alliance indexes, when empty."""
    filled = 0
    for key, model in (("stories", StoryIndexPage), ("alliances", AllianceIndexPage)):
        page = model.objects.first()
        if page is not None and not page.title_en and titles.get(key):
            page.title_en = titles[key]
            page.save_revision().publish()
            filled += 1
    return filled


def draw(key, motif, palette):
    """A simple picture of coloured shapes (deterministic for ``key``)."""
    rng = random.Random(key)
    dark, mid, light, accent = palette
    width, height = SIZE
    image = PILImage.new("RGB", SIZE, light)
    pen = ImageDraw.Draw(image)
    for y in range(0, height, 8):  # a soft vertical gradient
        shade = y / height
        pen.rectangle([0, y, width, y + 8], fill=_mix(light, mid, shade * 0.6))
    MOTIFS.get(motif, _machine)(pen, rng, dark, mid, light, accent)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    buffer.seek(0)
    return buffer


def _mix(a, b, t):
    a, b = _rgb(a), _rgb(b)
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _line(pen, rng, dark, mid, light, accent):
    """A conveyor with bottles and a camera above it."""
    pen.rectangle([0, 430, 960, 470], fill=dark)
    for x in range(40, 960, 90):
        top = 300 + rng.randint(-8, 8)
        pen.rounded_rectangle([x, top, x + 44, 430], radius=10, fill=mid)
        pen.rectangle([x + 14, top - 40, x + 30, top], fill=mid)
        pen.ellipse([x + 10, top - 52, x + 34, top - 36], fill=accent)
    pen.rectangle([420, 80, 540, 160], fill=dark)
    pen.polygon(
        [(450, 160), (510, 160), (560, 290), (400, 290)], fill=_mix(accent, light, 0.6)
    )


def _bench(pen, rng, dark, mid, light, accent):
    """A workbench with screens and instruments."""
    pen.rectangle([60, 420, 900, 450], fill=dark)
    for x in (120, 380, 640):
        pen.rectangle([x, 200, x + 200, 340], fill=dark)
        pen.rectangle([x + 10, 210, x + 190, 330], fill=mid)
        for i in range(5):
            y = 230 + i * 18
            pen.line(
                [x + 20, y, x + 20 + rng.randint(60, 160), y], fill=accent, width=6
            )
        pen.rectangle([x + 90, 340, x + 110, 420], fill=dark)


def _people(pen, rng, dark, mid, light, accent):
    """People around a table, drawn as simple figures."""
    pen.rounded_rectangle([180, 400, 780, 470], radius=16, fill=dark)
    for i, x in enumerate(range(150, 860, 120)):
        colour = accent if i % 2 else mid
        pen.ellipse([x, 230, x + 60, 290], fill=colour)
        pen.rounded_rectangle([x - 15, 295, x + 75, 420], radius=28, fill=colour)


def _tanks(pen, rng, dark, mid, light, accent):
    """A row of fermentation pits or tanks."""
    pen.rectangle([0, 500, 960, 640], fill=dark)
    for x in range(60, 900, 210):
        pen.rounded_rectangle([x, 260, x + 160, 500], radius=24, fill=mid)
        pen.rectangle([x, 300, x + 160, 316], fill=accent)
        pen.rectangle([x, 440, x + 160, 456], fill=accent)


def _chart(pen, rng, dark, mid, light, accent):
    """A line chart on a grid."""
    pen.rectangle([80, 80, 880, 560], fill=light, outline=dark, width=4)
    for i in range(1, 6):
        y = 80 + i * 80
        pen.line([80, y, 880, y], fill=_mix(light, dark, 0.2), width=2)
    for colour, base in ((mid, 380), (accent, 260)):
        points = [(80 + i * 80, base + rng.randint(-60, 60)) for i in range(11)]
        pen.line(points, fill=colour, width=8, joint="curve")


def _machine(pen, rng, dark, mid, light, accent):
    """A machine with a big gear and pipes."""
    pen.rectangle([0, 500, 960, 640], fill=dark)
    pen.rounded_rectangle([120, 260, 560, 500], radius=20, fill=mid)
    pen.ellipse([600, 200, 840, 440], fill=accent)
    pen.ellipse([670, 270, 770, 370], fill=light)
    pen.rectangle([560, 330, 620, 360], fill=dark)
    for x in range(160, 540, 70):
        pen.rectangle([x, 160, x + 24, 260], fill=dark)


def _weld(pen, rng, dark, mid, light, accent):
    """A welding robot arm over a steel plate, with sparks."""
    pen.rectangle([0, 0, 960, 640], fill=_mix(dark, mid, 0.5))
    pen.rectangle([100, 450, 860, 500], fill=mid)
    pen.line([(200, 450), (330, 250), (520, 300), (560, 440)], fill=light, width=28)
    for _ in range(40):
        x, y = 560 + rng.randint(-70, 70), 440 + rng.randint(-60, 10)
        pen.line([560, 445, x, y], fill=accent, width=2)
    pen.ellipse([540, 425, 580, 465], fill=accent)


def _beams(pen, rng, dark, mid, light, accent):
    """Steel deck ribs under assembly."""
    pen.rectangle([0, 420, 960, 640], fill=dark)
    for x in range(40, 920, 110):
        pen.polygon(
            [(x, 420), (x + 30, 260), (x + 70, 260), (x + 100, 420)], fill=accent
        )
    pen.rectangle([0, 240, 960, 262], fill=mid)


def _portrait(pen, rng, dark, mid, light, accent):
    """An abstract portrait: a head and shoulders, no face."""
    pen.rectangle([0, 0, 960, 640], fill=mid)
    pen.ellipse([390, 140, 570, 320], fill=dark)
    pen.rounded_rectangle([300, 340, 660, 700], radius=120, fill=dark)
    pen.rectangle([455, 340, 505, 440], fill=accent)


MOTIFS = {
    "line": _line,
    "bench": _bench,
    "people": _people,
    "tanks": _tanks,
    "chart": _chart,
    "machine": _machine,
    "weld": _weld,
    "beams": _beams,
    "portrait": _portrait,
}
