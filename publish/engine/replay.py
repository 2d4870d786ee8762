"""Paint a laid-out page once, replay it in later PDFs: a rebuild redraws only the pages that changed.

WeasyPrint draws every page into a PDF content stream at `write_pdf` time: about a third of a build.
A page's drawing depends only on its own boxes, so each page is drawn once into a scratch stream and
we keep what drawing produced: the content operators, and which glyphs of which fonts and which alpha
states it used. Replaying copies the operators and merges that usage into the PDF being written in
the order a fresh drawing would have (ToUnicode maps and font dictionaries follow insertion order),
so a PDF made from replayed pages is byte-identical to one drawn from scratch. Records of pages
without images hold no WeasyPrint objects, so a worker process can make them (engine/parallel.py).

Tagged PDF (PDF/UA): a page's marked-content ids count from 0 on each page, so a tagged record
keeps which of its boxes got which id, and replaying it hands them to the structure tree as a fresh
drawing would (engine/tagging.py). Such records hold boxes, so a page recorded in the worker
brings its structure elements instead, built there from its boxes (tagging.PortableTree). Anything this does not model (transparency groups, patterns, gradients, forms, glyphs
missing from every font, colour and bitmap fonts) leaves the page to WeasyPrint's own drawing.
Images are replayed in the process that loaded them only.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Any, Callable

SCALE = 0.75  # PDF points per CSS pixel at zoom 1, as generate_pdf uses

# (Pango font key, family, style, weight, size): enough to load the same font again in any process.
FontSpec = tuple[int, str, int, int, float]


@dataclass(frozen=True)
class Record:
    """What drawing one page produced, enough to reproduce its effect on any PDF."""

    operators: bytes
    fonts: tuple[tuple[FontSpec, tuple[tuple[int, str], ...], tuple[tuple[int, int], ...]], ...]
    alpha_states: tuple[tuple[str, dict[str, Any]], ...]
    images: tuple[tuple[str, Any, bool, frozenset[float]], ...] = ()  # name, image, interpolate, resolutions
    tags: tuple[tuple[Any, str, int], ...] = ()  # tagged drawing: (box, tag, marked-content id)


def page_rectangle(width: float, height: float, bleed: dict[str, float], scale: float = SCALE) -> tuple[float, ...]:
    """The rectangle generate_pdf gives a page's stream, computed the same way (same floats)."""
    left, top = -scale * bleed["left"], -scale * bleed["top"]
    right = left + scale * (width + bleed["left"] + bleed["right"])
    bottom = top + scale * (height + bleed["top"] + bleed["bottom"])
    return (left / scale, top / scale, (right - left) / scale, (bottom - top) / scale)


def context_key(
    scale: float, rectangle: tuple[float, ...], output_intent: Any, profiles: tuple[str, ...], compress: bool,
    tagged: bool = False,
) -> tuple:
    """What a page's drawing depends on besides the page: records are kept per context."""
    return (scale, tuple(rectangle), output_intent, profiles, compress, tagged)


def default_context(width: float, height: float, bleed: dict[str, float], tagged: bool = False) -> tuple:
    """The context of a plain `write_pdf()` (no PDF/A output intent, no colour profiles, compressed), tagged or not."""
    return context_key(SCALE, page_rectangle(width, height, bleed), None, (), True, tagged)


class Recorder:
    """Draws pages into scratch streams; holds the template fonts of one font configuration."""

    def __init__(self, font_config: Any) -> None:
        self.font_config = font_config
        self.templates: dict[tuple[int, float], Any] = {}
        self._context: Any = None

    def template(self, key: int, size: float, make: Callable[[], Any] | None = None) -> Any:
        """The pristine font for Pango key *key* first used at *size*; made by *make*, else loaded again."""
        font = self.templates.get((key, size))
        if font is None:
            font = make() if make else None
            self.templates[(key, size)] = font
        return font

    def load(self, spec: FontSpec) -> Any:
        """The template for *spec*, loading the font through Pango if this process has not used it; None if it differs."""
        if (spec[0], spec[4]) in self.templates:
            return self.templates[(spec[0], spec[4])]
        from weasyprint.pdf.fonts import Font
        from weasyprint.text.ffi import TO_UNITS, ffi, pango
        from weasyprint.text.fonts import get_pango_font_key

        key, family, style, weight, size = spec
        if self._context is None:
            self._context = ffi.gc(pango.pango_font_map_create_context(self.font_config.font_map), pango.g_object_unref)
        description = ffi.gc(pango.pango_font_description_new(), pango.pango_font_description_free)
        pango.pango_font_description_set_family(description, family.encode())
        pango.pango_font_description_set_style(description, style)
        pango.pango_font_description_set_weight(description, weight)
        pango.pango_font_description_set_absolute_size(description, size * TO_UNITS)
        pango_font = pango.pango_font_map_load_font(self.font_config.font_map, self._context, description)
        if pango_font == ffi.NULL:
            return None
        loaded_key, loaded_description, loaded_size = get_pango_font_key(pango_font)
        if (loaded_key, loaded_size) != (key, size):
            return None
        return self.template(key, size, lambda: Font(pango_font, loaded_description, loaded_size))

    def record(self, page: Any, context: tuple) -> Record | None:
        """Draw *page* as `write_pdf` would in *context*; None if the page uses something not modelled."""
        import pydyf

        scale, rectangle, output_intent, profiles, compress, tagged = context
        if profiles or any(page.forms.values()) or len(page.forms) > 1:
            return None  # colour profiles and forms are not modelled
        resources = pydyf.Dictionary({
            "ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(), "Pattern": pydyf.Dictionary(),
            "Shading": pydyf.Dictionary(), "ColorSpace": None,
        })
        fonts: dict[int, Any] = {}  # this page's fonts in order of first use, as a fresh PDF would add them
        images: dict[str, dict[str, Any]] = {}
        scratch = _scratch_class()(self, fonts, rectangle, resources, images, {} if tagged else None, dict.fromkeys(profiles),
                                   output_intent, compress=compress)
        # The same flip generate_pdf applies before painting: image resolution reads the CTM.
        scratch.transform(d=-1, f=page.height * scale)
        start = len(scratch.stream)
        page.paint(scratch, scale)
        if resources["Pattern"] or resources["Shading"] or set(resources["XObject"]) != set(images):
            return None  # transparency groups and patterns are not modelled, images are
        if any(not name.startswith(("a", "A")) for name in resources["ExtGState"]):
            return None
        used = []
        for key, font in fonts.items():
            if font.missing or font.png or font.svg or font.bitmap or font.variations:
                return None
            spec = (key, font.family, int(font.style), int(font.weight), font.font_size)
            used.append((spec, tuple(font.to_unicode.items()), tuple(font.widths.items())))
        return Record(
            operators=b"\n".join(pydyf._to_bytes(item) for item in scratch.stream[start:]),
            fonts=tuple(used),
            alpha_states=tuple((name, dict(state)) for name, state in resources["ExtGState"].items()),
            images=tuple((name, images[name]["image"], images[name]["interpolate"], frozenset(images[name]["dpi_ratios"]))
                         for name in resources["XObject"]),
            tags=tuple((box, tag["tag"], tag["mcid"]) for box, tag in (scratch._tags or {}).items()),
        )


_SCRATCH: type | None = None


def _scratch_class() -> type:
    """A WeasyPrint Stream that takes fonts from the recorder's templates (built lazily: importing WeasyPrint is slow)."""
    global _SCRATCH
    if _SCRATCH is None:
        from weasyprint.pdf.fonts import Font
        from weasyprint.pdf.stream import Stream
        from weasyprint.text.fonts import get_pango_font_key

        class Scratch(Stream):
            """Records one page: fonts come clean from the recorder instead of being read again per page."""

            def __init__(self, recorder: Recorder, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self._recorder = recorder

            def add_font(self, pango_font: Any) -> tuple[Any, float]:
                """The page's font for *pango_font*: the template for its key and size, usage cleared."""
                key, description, font_size = get_pango_font_key(pango_font)
                if key not in self._fonts:
                    font = self._recorder.template(key, font_size, lambda: Font(pango_font, description, font_size))
                    font.widths, font.to_unicode, font.missing = {}, {}, {}
                    self._fonts[key] = font
                return self._fonts[key], font_size

        _SCRATCH = Scratch
    return _SCRATCH


def _fresh_font(template: Any) -> Any:
    """A copy of *template* with no glyph usage: subsetting rewrites the copy, never the template."""
    font = object.__new__(type(template))
    font.__dict__.update(template.__dict__)
    font.widths, font.to_unicode, font.missing = {}, {}, {}
    font.variations = dict(template.variations)
    font.used_in_forms = False
    return font


def replay(record: Record, stream: Any, recorder: Recorder) -> None:
    """Add the recorded drawing to *stream*, merging font and alpha usage as drawing would."""
    import pydyf

    if record.operators:
        stream.stream.append(record.operators)
    if stream._tags is not None:
        stream._tags.update({box: {"tag": tag, "mcid": mcid} for box, tag, mcid in record.tags})
    for spec, to_unicode, widths in record.fonts:
        font = stream._fonts.get(spec[0])
        if font is None:
            template = recorder.load(spec)
            if template is None:
                raise RuntimeError(f"font {spec[1]} cannot be loaded again for replay")
            font = stream._fonts[spec[0]] = _fresh_font(template)
        known = font.to_unicode
        for glyph, text in to_unicode:
            if glyph not in known:
                known[glyph] = text
        font.widths.update(widths)
    states = stream._resources["ExtGState"]
    for name, state in record.alpha_states:
        if name not in states:
            states[name] = pydyf.Dictionary(state)
    for name, image, interpolate, ratios in record.images:  # as Stream.add_image does
        stream._resources["XObject"][name] = None
        if name in stream._images:
            stream._images[name]["dpi_ratios"] |= ratios
        else:
            stream._images[name] = {"image": image, "interpolate": interpolate, "dpi_ratios": set(ratios), "x_object": None}


@dataclass
class PageData:
    """A page's geometry, links, anchors and bookmarks, its WeasyPrint page if this process laid it out, and its records."""

    page: Any
    width: float
    height: float
    bleed: dict[str, float]
    links: list[Any]
    anchors: dict[str, Any]
    bookmarks: list[Any]
    records: dict[tuple, Record | None] = field(default_factory=dict)
    deflated: dict[bytes, bytes] = field(default_factory=dict)  # this page's content stream, compressed
    structure: Any = None  # tagged PDF: the page's structure elements, built in the worker (tagging.PortableTree)

    @classmethod
    def of(cls, page: Any) -> PageData:
        """The data of a WeasyPrint page laid out here."""
        return cls(page, page.width, page.height, page.bleed, page.links, page.anchors, page.bookmarks)

    def portable(self, recorder: Recorder, tagged: bool = False) -> PageData | None:
        """A copy without WeasyPrint objects, recorded in the default context, to send to another process.

        Tagged, it carries its structure elements instead of the boxes they are built from.
        """
        import dataclasses

        context = default_context(self.width, self.height, self.bleed, tagged)
        record = recorder.record(self.page, context)
        if record is None or record.images:  # image data stays in the process that loaded it
            return None
        structure = None
        if tagged:
            from .tagging import portable_tree

            structure = portable_tree(self.page, {box: {"tag": tag, "mcid": mcid} for box, tag, mcid in record.tags})
            record = dataclasses.replace(record, tags=())
        links = [(kind, target, rectangle, None) for kind, target, rectangle, _box in self.links]
        return PageData(None, self.width, self.height, self.bleed, links, self.anchors, self.bookmarks, {context: record},
                        structure=structure)


class ReplayPage:
    """Stands in for a WeasyPrint page in a Document: same geometry and links, drawing replayed.

    *layers* are drawn one after the other: the page itself, then for body pages the page number
    laid out in a document of its own (engine/split.py).
    """

    def __init__(self, layers: list[PageData], recorder: Recorder) -> None:
        first = layers[0]
        self._layers, self._recorder = layers, recorder
        self.width, self.height, self.bleed = first.width, first.height, first.bleed
        # add_links hangs each annotation on the link's box: a fresh holder for records from elsewhere.
        self.links = [link if link[3] is not None else (*link[:3], types.SimpleNamespace()) for link in first.links]
        self.anchors, self.bookmarks = first.anchors, first.bookmarks
        self.forms = first.page.forms if first.page is not None else {None: []}

    @property
    def _page_box(self) -> Any:
        """The page's boxes, from which tagged PDF builds its structure; for a worker's page, the structure it built."""
        first = self._layers[0]
        if first.page is not None:
            return first.page._page_box
        if first.structure is None:
            raise RuntimeError("a page laid out by a worker without tags cannot be tagged")
        from .tagging import WorkerPageBox

        return WorkerPageBox(first.structure, self.links)

    def paint(self, stream: Any, scale: float = 1) -> None:
        """Replay each layer's recorded drawing, recording it first; draw afresh what replay cannot reproduce.

        In a tagged PDF the layers over the page itself (page numbers) are artifacts.
        """
        tags = stream._tags
        context = (scale, stream.page_rectangle, stream._output_intent, tuple(stream._color_profiles), stream.compress)
        replayed = self._paint_layer(self._layers[0], stream, scale, context_key(*context, tags is not None))
        for layer in self._layers[1:]:
            if tags is not None:
                stream.begin_marked_content("Artifact")
                stream._tags = None
            try:
                replayed = self._paint_layer(layer, stream, scale, context_key(*context)) and replayed
            finally:
                if tags is not None:
                    stream._tags = tags
                    stream.end_marked_content()
        if replayed and stream.compress and not stream.extra:
            self._precompress(stream)

    def _paint_layer(self, layer: PageData, stream: Any, scale: float, key: tuple) -> bool:
        """Replay (recording first) or draw one layer; True if it was replayed."""
        if key not in layer.records and layer.page is not None:
            layer.records[key] = self._recorder.record(layer.page, key)
        record = layer.records.get(key)
        if record is not None:
            replay(record, stream, self._recorder)
            return True
        if layer.page is None:
            raise RuntimeError("a page laid out by a worker cannot be drawn in this context")
        layer.page.paint(stream, scale)
        return False

    def _precompress(self, stream: Any) -> None:
        """Compact and deflate the page's content once: an unchanged page's bytes come from the last build.

        The build's finisher compacts and deflates the content of pages drawn afresh (engine/compact.py);
        for a replayed page the input is the same as last time, so the stream is handed over
        already compacted and deflated, with the same Filter and Length entries in the same order
        (byte-identical).
        """
        import hashlib

        import pydyf

        from .compact import compact, deflate

        raw = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
        digest = hashlib.sha1(raw).digest()
        cache = self._layers[0].deflated
        if digest not in cache:
            cache.clear()  # one version per page: the last build's
            cache[digest] = deflate(compact(raw))
        stream.stream = [cache[digest]]
        stream.compress = False
        stream.extra["Filter"] = "/FlateDecode"
