"""SVG from a branding package, rebuilt from an allow-list.

Parsed with defusedxml (no entity expansion, no external entities or DTDs fetched; comments
and processing instructions are not kept). Refused, naming the element or attribute: script,
foreignObject, animation elements (they can rewrite links), embedded documents, event
handler attributes (`on…`), references that leave the file (`href` other than `#id` or an
inline raster image, `url()` other than `url(#id)`, `@import`), `javascript:` anywhere.
Dropped without refusal (editors write them): metadata, elements and attributes of other
namespaces (Inkscape, Sodipodi, RDF) and attributes not on the allow-list. What is kept is
serialised again, so the stored file holds only what was checked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # serialising only; parsing is defusedxml's

import tinycss2
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from bff.branding.content import CssChecker, check_inline_css
from bff.branding.package import refuse

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
MAX_ELEMENTS = 20000
MAX_DEPTH = 64

ELEMENTS = frozenset(
    """svg g defs symbol use title desc path rect circle ellipse line polyline polygon text
    tspan textPath linearGradient radialGradient stop clipPath mask pattern image filter
    feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting
    feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR
    feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset fePointLight
    feSpecularLighting feSpotLight feTile feTurbulence marker style switch view a""".split()  # noqa: SIM905
)
DROPPED = frozenset({"metadata"})
REFUSED = {
    "script": "script",
    "foreignObject": "embedded HTML (foreignObject)",
    "animate": "animation",
    "animateMotion": "animation",
    "animateTransform": "animation",
    "animateColor": "animation",
    "set": "animation",
    "discard": "animation",
    "handler": "script",
    "listener": "script",
    "iframe": "an embedded document",
    "embed": "an embedded document",
    "object": "an embedded document",
}
ATTRIBUTES = frozenset(
    """id class style lang tabindex role focusable x y x1 y1 x2 y2 cx cy r rx ry fx fy fr
    width height d points pathLength transform viewBox preserveAspectRatio version baseProfile
    fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap
    stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity color
    color-interpolation color-interpolation-filters color-rendering display visibility
    overflow clip clip-path clip-rule mask filter marker marker-start marker-mid marker-end
    shape-rendering text-rendering image-rendering vector-effect paint-order mix-blend-mode
    isolation font-family font-size font-size-adjust font-stretch font-style font-variant
    font-weight letter-spacing word-spacing text-anchor text-decoration dominant-baseline
    alignment-baseline baseline-shift writing-mode direction unicode-bidi dx dy rotate
    textLength lengthAdjust startOffset method spacing side offset stop-color stop-opacity
    gradientUnits gradientTransform spreadMethod patternUnits patternContentUnits
    patternTransform clipPathUnits maskUnits maskContentUnits filterUnits primitiveUnits
    markerUnits markerWidth markerHeight refX refY orient in in2 result mode type values
    operator k1 k2 k3 k4 stdDeviation edgeMode order kernelMatrix divisor bias targetX targetY
    preserveAlpha surfaceScale diffuseConstant specularConstant specularExponent
    kernelUnitLength lighting-color flood-color flood-opacity azimuth elevation z
    pointsAtX pointsAtY pointsAtZ limitingConeAngle scale xChannelSelector yChannelSelector
    radius baseFrequency numOctaves seed stitchTiles tableValues slope intercept amplitude
    exponent href media systemLanguage requiredFeatures requiredExtensions enable-background
    data-name aria-label aria-labelledby aria-describedby aria-hidden""".split()  # noqa: SIM905
)
_RASTER = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)


def _local(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return None, tag


class _Cleaner:
    def __init__(self, path: str) -> None:
        self.path = path
        self.count = 0
        self.dropped: set[str] = set()

    def ref(self, name: str, value: str) -> str:
        value = value.strip()
        if value.startswith("#") or _RASTER.match(value):
            return value
        raise refuse(
            f'{self.path}: {name}="{value[:80]}" is an external reference; '
            "only #id references and inline PNG, JPEG, GIF or WebP images are "
            "allowed in SVG"
        )

    def element(self, node: ET.Element, depth: int) -> None:
        self.count += 1
        if self.count > MAX_ELEMENTS or depth > MAX_DEPTH:
            raise refuse(
                f"{self.path}: more than {MAX_ELEMENTS} elements or nested deeper than {MAX_DEPTH}"
            )
        self.attributes(node)
        _, name = _local(node.tag)
        if name == "style" and node.text:
            rules = tinycss2.parse_stylesheet(node.text, skip_comments=True, skip_whitespace=True)
            CssChecker(f"{self.path}: <style>", None).walk(rules)
        for child in list(node):
            ns, child_name = _local(child.tag) if isinstance(child.tag, str) else (None, "")
            if not isinstance(child.tag, str):  # a comment or processing instruction
                node.remove(child)
                continue
            if ns == SVG and child_name in REFUSED:
                raise refuse(
                    f"{self.path}: <{child_name}> ({REFUSED[child_name]}) is not allowed in SVG"
                )
            if ns != SVG or child_name in DROPPED:
                self.dropped.add(f"<{child_name}>")
                node.remove(child)
                continue
            if child_name not in ELEMENTS:
                raise refuse(f"{self.path}: element <{child_name}> is not allowed in SVG")
            self.element(child, depth + 1)

    def attributes(self, node: ET.Element) -> None:
        for key in list(node.attrib):
            value = node.attrib[key]
            ns, name = _local(key)
            if name.lower().startswith("on"):
                raise refuse(f"{self.path}: event handler attribute {name} is not allowed in SVG")
            if "javascript:" in re.sub(r"\s", "", value).lower():
                raise refuse(f"{self.path}: {name}: a javascript: URL is not allowed")
            if name == "href" and ns in (XLINK, None):
                del node.attrib[key]
                node.set("href", self.ref(name, value))
                continue
            if ns == XML and name in ("space", "lang"):
                continue
            if ns is not None or name not in ATTRIBUTES:
                self.dropped.add(name)
                del node.attrib[key]
                continue
            if name == "style":
                check_inline_css(f"{self.path}: style", value)
            elif "url(" in value.lower() or "@import" in value.lower():
                check_inline_css(f"{self.path}: {name}", value)


def clean_svg(path: str, data: bytes) -> tuple[bytes, list[str]]:
    """The SVG rebuilt from what passed, and notes of what editors' extras were dropped."""
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise refuse(
            f"{path}: SVG with entity declarations or external references in its "
            f"DTD is not allowed ({type(exc).__name__})"
        ) from exc
    except (ParseError, ValueError) as exc:
        raise refuse(f"{path}: not well-formed XML ({exc})") from exc
    if root.tag != f"{{{SVG}}}svg":
        raise refuse(f"{path}: the root element is not <svg> in the SVG namespace")
    cleaner = _Cleaner(path)
    cleaner.element(root, 1)
    for node in root.iter():  # every element is SVG now: plain names under one xmlns
        node.tag = _local(node.tag)[1]
    root.set("xmlns", SVG)
    out = ET.tostring(root, encoding="unicode")
    notes = []
    if cleaner.dropped:
        shown = ", ".join(sorted(cleaner.dropped)[:8])
        notes.append(f"{path}: editor data removed ({shown})")
    return out.encode(), notes
