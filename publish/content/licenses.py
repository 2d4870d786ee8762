"""The Creative Commons licences a report can carry, with Korean summaries for the licence page."""

from __future__ import annotations

from dataclasses import dataclass

# Plain-Korean wording of each licence element, after the official Korean deeds.
_SHARE = "공유 — 이 보고서를 어떤 매체나 형식으로든 복제하고 배포할 수 있습니다."
_ADAPT = "변경 — 이 보고서를 리믹스하고 변형하거나 2차적 저작물을 만들 수 있습니다."
_COMMERCIAL = "영리 목적으로도 이용할 수 있습니다."
_BY = "저작자표시 — 적절한 출처와 라이선스 링크를 표시하고, 변경한 내용이 있으면 그 사실을 밝혀야 합니다."
_NC = "비영리 — 영리 목적으로 이용할 수 없습니다."
_SA = "동일조건변경허락 — 이 보고서를 변경하거나 이를 바탕으로 만든 자료는 원본과 같은 라이선스로 배포해야 합니다."
_ND = "변경금지 — 이 보고서를 변경했다면 그 변경된 자료는 배포할 수 없습니다."
_NO_RESTRICTIONS = "추가 제한 금지 — 라이선스가 허용한 행위를 다른 사람이 하지 못하도록 법적 또는 기술적 조치를 덧붙일 수 없습니다."


@dataclass(frozen=True)
class LicenseInfo:
    """What the licence page says about one licence."""

    spdx: str
    short_name: str
    """The usual short form, e.g. `CC BY-NC-SA 4.0`."""
    full_name: str
    korean_name: str
    deed_url: str
    allows: tuple[str, ...]
    requires: tuple[str, ...]


def _cc(elements: str) -> LicenseInfo:
    """Describe the CC 4.0 licence made of *elements* such as `by-nc-sa`."""
    parts = elements.split("-")
    english = {"by": "Attribution", "nc": "NonCommercial", "sa": "ShareAlike", "nd": "NoDerivatives"}
    korean = {"by": "저작자표시", "nc": "비영리", "sa": "동일조건변경허락", "nd": "변경금지"}
    allows = [_SHARE]
    if "nd" not in parts:
        allows.append(_ADAPT)
    if "nc" not in parts:
        allows.append(_COMMERCIAL)
    requires = [_BY] + [{"nc": _NC, "sa": _SA, "nd": _ND}[p] for p in parts[1:]] + [_NO_RESTRICTIONS]
    return LicenseInfo(
        spdx=f"CC-{elements.upper()}-4.0",
        short_name=f"CC {elements.upper()} 4.0",
        full_name=f"Creative Commons {'-'.join(english[p] for p in parts)} 4.0 International",
        korean_name=f"크리에이티브 커먼즈 {'-'.join(korean[p] for p in parts)} 4.0 국제",
        deed_url=f"https://creativecommons.org/licenses/{elements}/4.0/",
        allows=tuple(allows),
        requires=tuple(requires),
    )


_CC0 = LicenseInfo(
    spdx="CC0-1.0",
    short_name="CC0 1.0",
    full_name="Creative Commons CC0 1.0 Universal",
    korean_name="크리에이티브 커먼즈 CC0 1.0 퍼블릭 도메인 기증",
    deed_url="https://creativecommons.org/publicdomain/zero/1.0/",
    allows=(
        "저작자가 법이 허용하는 범위에서 모든 권리를 포기했으므로, 허락을 구하지 않고 영리 목적을 포함한 어떤 목적으로든 "
        "복제, 변경, 배포, 공연할 수 있습니다.",
    ),
    requires=("요구 사항이 없습니다. 다만 출처를 밝혀 주시면 감사하겠습니다.",),
)

LICENSES: dict[str, LicenseInfo] = {
    info.spdx: info
    for info in [_cc(e) for e in ("by", "by-sa", "by-nc", "by-nc-sa", "by-nd", "by-nc-nd")] + [_CC0]
}
