"""A generated content folder shaped like the real report, at any size: for scale tests and benchmarks.

    python benchmarks/generate.py DEST ENTRIES [--seed N]
    python benchmarks/generate.py --reorder CONTENT DEST [--seed N]   (each chapter's entries shuffled)

Chapters of five entries (as in the real report) after an unnumbered introduction; each entry has
a Korean tl;dr, the four usual details parts with paragraphs and lists, and, as often as in the
real report, footnotes, a local figure, a remote image (drawn as a placeholder) and a withdrawal.
The same arguments always give the same files.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
from pathlib import Path

ENTRIES_PER_CHAPTER = 5
PARTS = ("기존 문제", "논문이 이끌어낸 직관", "활용방안 및 향후 연구(개인적 의견)", "논문의 구체적인 방법론")
SUBJECTS = ("LLM", "모델", "저자들", "이 연구", "제안 방법", "attention 모듈", "reward model", "in-context learning", "데이터셋", "실험 결과")
OBJECTS = ("추론 능력을", "정렬 문제를", "학습 효율을", "사람의 피드백을", "내부 표현을", "일반화 성능을", "토큰 분포를", "지식 편집을", "prompt 설계를", "평가 지표를")
ADVERBS = ("효과적으로", "안정적으로", "크게", "일관되게", "부분적으로", "처음으로", "간단하게", "체계적으로")
VERBS = ("개선합니다", "분석합니다", "설명합니다", "보여줍니다", "제안했습니다", "검증했습니다", "측정했습니다", "재현했습니다")
CLAUSES = ("레이어를 거쳐갈 때마다", "적은 수의 예시만으로", "fine-tuning 없이", "기존 방법과 비교했을 때", "대규모 실험에서",
           "사람의 평가와 함께", "여러 도메인에 걸쳐", "파라미터 수를 줄이면서")
TERMS = ("RLHF", "chain-of-thought", "QLoRA", "GPT-4", "LLaMA", "transformer", "MLP", "KL divergence", "benchmark", "zero-shot")
VENUES = ("NeurIPS 2023", "NeurIPS 2022", "ICML 2023", "ICLR 2023", "ACL 2023")


def particle(word: str, closed: str, open_: str) -> str:
    """*word* with the particle its last sound takes: 은/는, 을/를, 과/와 (closed after a final consonant)."""
    last = word[-1]
    if "가" <= last <= "힣":
        closed_syllable = (ord(last) - ord("가")) % 28 != 0
    else:  # Latin letters and digits as read in Korean: L (엘), M (엠), N (엔), T (샷), 0 (영), 1 (일), 3 (삼), 6, 7, 8, 9
        closed_syllable = last.upper() in "LMNT0136789"
    return word + (closed if closed_syllable else open_)


def sentence(rng: random.Random) -> str:
    """One Korean sentence in the register of the report."""
    words = [rng.choice(CLAUSES), particle(rng.choice(SUBJECTS), "은", "는"), rng.choice(TERMS) + "의", rng.choice(OBJECTS), rng.choice(ADVERBS), rng.choice(VERBS)]
    if rng.random() < 0.4:
        words.insert(2, f"{particle(rng.choice(TERMS), '과', '와')} {particle(rng.choice(TERMS), '을', '를')} 함께 써서")
    return " ".join(words) + "."


def paragraph(rng: random.Random, sentences: tuple[int, int] = (2, 5)) -> str:
    """A paragraph of a few sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def part_body(rng: random.Random, notes: list[str]) -> str:
    """The text of one details part: paragraphs, sometimes a list, sometimes a footnote call."""
    blocks = [paragraph(rng, (2, 4)) for _ in range(rng.randint(1, 2))]
    if rng.random() < 0.3:
        blocks.append("\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 4))))
    if rng.random() < 0.25:
        label = str(len(notes) + 1)
        blocks[0] += f"[^{label}]"
        notes.append(f"[^{label}]: {sentence(rng)}")
    return "\n\n".join(blocks)


def png(width: int, height: int, rng: random.Random) -> bytes:
    """A small figure image."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3))).save(buffer, "PNG")
    return buffer.getvalue()


def entry_file(number: int, rng: random.Random, chapter: Path) -> str:
    """The text of one entry file; writes its figure image when it has one."""
    title = f"{rng.choice(TERMS)} {rng.choice(('Learning', 'Alignment', 'Reasoning', 'Editing', 'Scaling'))} Study {number}"
    lines = ["---", f"title: {title}", f"url: https://example.org/papers/{number}", f"venue: {rng.choice(VENUES)}"]
    notes: list[str] = []
    tldr = paragraph(rng, (1, 2))
    if rng.random() < 0.1:
        tldr = tldr[:-1] + "[^t]."
        notes.append(f"[^t]: {sentence(rng)}")
    lines.append(f"tldr: {tldr}")
    if rng.random() < 0.15:
        images = chapter / "images"
        images.mkdir(exist_ok=True)
        (images / f"fig{number}.png").write_bytes(png(rng.randint(240, 480), rng.randint(120, 240), rng))
        lines += ["figures:", f"  - src: images/fig{number}.png", f"    caption: 그림 {number}. {rng.choice(TERMS)} 구조"]
    if rng.random() < 0.03:
        lines.append("status: withdrawn")
    lines.append("---")
    body = [paragraph(rng)] if rng.random() < 0.2 else []
    if rng.random() < 0.3:
        body.append(f"![원본 그림](https://images.example.org/{number}.png)")  # remote: a placeholder unless fetched
    details = ["# 상세 및 개인 의견"] if rng.random() < 0.5 else []
    for label in PARTS[: rng.randint(3, 4)]:
        details += [f"## {label}", part_body(rng, notes)]
    return "\n".join(lines) + "\n" + "\n\n".join([*body, *details, *notes]) + "\n"


def generate(dest: Path, entries: int, seed: int = 0) -> Path:
    """Write a content folder of *entries* entries to *dest* (created; must not exist or be empty)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise FileExistsError(f"{dest} is not empty")
    rng = random.Random(seed)
    chapters = ["introduction"]
    intro = dest / "introduction"
    intro.mkdir()
    (intro / "chapter.md").write_text(f"---\ntitle: 들어가며\nnumbered: false\n---\n{paragraph(rng)}\n\n{paragraph(rng)}\n", encoding="utf-8")
    for number in range(entries):
        if number % ENTRIES_PER_CHAPTER == 0:
            name = f"chapter-{number // ENTRIES_PER_CHAPTER + 1:03d}"
            chapters.append(name)
            chapter = dest / name
            chapter.mkdir()
            (chapter / "chapter.md").write_text(f"---\ntitle: {particle(rng.choice(TERMS), '과', '와')} {rng.choice(TERMS)}\n---\n", encoding="utf-8")
        text = entry_file(number + 1, rng, chapter)
        (chapter / f"{number % ENTRIES_PER_CHAPTER + 1:02d}-study-{number + 1}.md").write_text(text, encoding="utf-8")
    report = [
        f"title: Generated Report of {entries} Entries", "subtitle: 규모 시험을 위한 생성 보고서", "author:", "  name: 홍길동",
        "date: 2024-01-15", "language: ko", "slug: generated-report", "license:", "  id: CC-BY-NC-SA-4.0",
        "sponsor:", "  name: 株式会社 IBS", "  acknowledgement: 본 보고서는 생성된 내용입니다.", "chapters:", *(f"  - {c}" for c in chapters),
    ]
    (dest / "report.yaml").write_text("\n".join(report) + "\n", encoding="utf-8")
    return dest


def reordered(content: Path, dest: Path, seed: int = 1) -> Path:
    """Copy the content folder *content* to *dest* with each chapter's entries in another order.

    Entries are ordered by their file names (`NN-slug.md`); the copy gives each chapter's files the
    numbers of a shuffled order that moves at least one of them, so every page break can change.
    """
    import shutil

    rng = random.Random(seed)
    shutil.copytree(content, dest)
    for chapter in sorted(p for p in Path(dest).iterdir() if p.is_dir()):
        entries = sorted(p for p in chapter.glob("[0-9]*-*.md"))
        order = list(range(len(entries)))
        while len(order) > 1 and order == sorted(order):
            rng.shuffle(order)
        moved = [(path, chapter / f"{order[index] + 1:02d}{path.name[path.name.index('-'):]}.moving")
                 for index, path in enumerate(entries)]
        for path, temporary in moved:
            path.rename(temporary)
        for _, temporary in moved:
            temporary.rename(temporary.with_suffix(""))
    return Path(dest)


def main(argv: list[str] | None = None) -> None:
    """Command line: generate DEST ENTRIES, or --reorder CONTENT DEST."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("entries", type=str, help="entry count, or with --reorder the destination")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reorder", action="store_true", help="copy the content folder DEST to ENTRIES, entries reordered")
    args = parser.parse_args(argv)
    if args.reorder:
        print(reordered(args.dest, Path(args.entries), args.seed or 1))
    else:
        print(generate(args.dest, int(args.entries), args.seed))


if __name__ == "__main__":
    sys.exit(main())
