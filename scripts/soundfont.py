"""Build step: General MIDI instruments from a free SoundFont, as local Strudel sample maps.

Source: Debian's `musescore-general-soundfont-small` (MuseScore_General_Lite.sf3, MIT licence,
parts public domain / CC0; see prompts/SOUNDFONT-LICENSE.md). An SF3 file is an SF2 whose samples
are Ogg Vorbis streams, which browsers decode natively, so each instrument zone's sample is copied
out byte for byte: no decoder needed at build time.

For every instrument listed in prompts/soundfont.toml we read the preset (bank 0, GM program),
take one sample per key zone (left channel of stereo pairs) and write
    dist/vendor/soundfont/<name>/<midi>.ogg
plus a note-keyed sample map, {"gm_piano": {"c3": ["gm_piano/48.ogg"], ...}}: Strudel plays the
nearest sample and repitches it, like the SoundFont's own key zones.
"""

from __future__ import annotations

import struct
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SF3 = Path("/usr/share/sounds/sf3/MuseScore_General_Lite.sf3")
NOTE_NAMES = ["c", "db", "d", "eb", "e", "f", "gb", "g", "ab", "a", "bb", "b"]

GEN_KEY_RANGE, GEN_VEL_RANGE, GEN_INSTRUMENT, GEN_SAMPLE_ID, GEN_ROOT_KEY = 43, 44, 41, 53, 58
MIN_SPACING = 3  # semitones between kept samples: Strudel repitches the nearest one
VELOCITY = 80  # keep the mezzo-forte layer of multi-velocity instruments


@dataclass(frozen=True)
class Sample:
    name: str
    start: int
    end: int
    root: int
    kind: int  # 1 mono, 2 right, 4 left (| 0x10 when compressed)


@dataclass(frozen=True)
class Zone:
    low: int
    high: int
    sample: int
    root: int | None
    vel_low: int = 0
    vel_high: int = 127


def _chunks(data: bytes, start: int, end: int) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    pos = start
    while pos + 8 <= end:
        cid = data[pos : pos + 4].decode("latin-1")
        size = struct.unpack_from("<I", data, pos + 4)[0]
        body = pos + 8
        if cid == "LIST":
            kind = "LIST:" + data[body : body + 4].decode("latin-1")
            out.setdefault(kind, []).append((body + 4, body + size))
        else:
            out.setdefault(cid, []).append((body, body + size))
        pos = body + size
        # RIFF pads odd chunks to even length, but SF3 writers often do not: trust what follows.
        if size & 1 and not data[pos : pos + 4].isalpha():
            pos += 1
    return out


class SoundFont:
    def __init__(self, path: Path):
        data = path.read_bytes()
        if data[:4] != b"RIFF" or data[8:12] not in (b"sfbk",):
            raise ValueError(f"{path} is not a SoundFont")
        top = _chunks(data, 12, len(data))
        sdta = _chunks(data, *top["LIST:sdta"][0])
        pdta = _chunks(data, *top["LIST:pdta"][0])
        self.smpl = data[slice(*sdta["smpl"][0])]
        self.data = data
        self.pdta = {k: data[slice(*v[0])] for k, v in pdta.items()}
        self.presets = self._records("phdr", "<20sHHHIII")
        self.pbag = self._records("pbag", "<HH")
        self.pgen = self._records("pgen", "<HH")
        self.insts = self._records("inst", "<20sH")
        self.ibag = self._records("ibag", "<HH")
        self.igen = self._records("igen", "<HH")
        self.samples = [
            Sample(n.split(b"\0")[0].decode("latin-1"), s, e, root, kind)
            for n, s, e, _ls, _le, _rate, root, _corr, _link, kind in self._records("shdr", "<20sIIIIIBbHH")
        ]

    def _records(self, name: str, fmt: str) -> list[tuple]:
        size = struct.calcsize(fmt)
        raw = self.pdta[name]
        return [struct.unpack_from(fmt, raw, i) for i in range(0, len(raw) - size + 1, size)]

    @staticmethod
    def _gens(gens: list[tuple], first: int, last: int) -> dict[int, int]:
        return {op: amount for op, amount in gens[first:last]}

    def preset_instruments(self, program: int, bank: int = 0) -> list[int]:
        for i, (_name, prog, bnk, bag, *_rest) in enumerate(self.presets[:-1]):
            if prog == program and bnk == bank:
                next_bag = self.presets[i + 1][3]
                found = []
                for b in range(bag, next_bag):
                    gens = self._gens(self.pgen, self.pbag[b][0], self.pbag[b + 1][0])
                    if GEN_INSTRUMENT in gens:
                        found.append(gens[GEN_INSTRUMENT])
                return found
        raise KeyError(f"no preset for program {program} bank {bank}")

    def zones(self, instrument: int) -> list[Zone]:
        first, last = self.insts[instrument][1], self.insts[instrument + 1][1]
        zones = []
        for b in range(first, last):
            gens = self._gens(self.igen, self.ibag[b][0], self.ibag[b + 1][0])
            if GEN_SAMPLE_ID not in gens:
                continue  # a global zone
            key_range = gens.get(GEN_KEY_RANGE, 127 << 8)
            vel_range = gens.get(GEN_VEL_RANGE, 127 << 8)
            root = gens.get(GEN_ROOT_KEY)
            zones.append(Zone(key_range & 0xFF, key_range >> 8, gens[GEN_SAMPLE_ID],
                              None if root in (None, 0xFFFF) or root > 127 else root,
                              vel_range & 0xFF, vel_range >> 8))
        return zones

    def ogg(self, sample: Sample) -> bytes:
        if not sample.kind & 0x10:
            raise ValueError(f"sample {sample.name} is not compressed (not an SF3 sample)")
        data = self.smpl[sample.start : sample.end]
        if data[:4] != b"OggS":
            raise ValueError(f"sample {sample.name} is not an Ogg stream")
        return data


def note_name(midi: int) -> str:
    return f"{NOTE_NAMES[midi % 12]}{midi // 12 - 1}"


def load_wanted(path: Path | None = None) -> dict[str, int]:
    data = tomllib.loads((path or ROOT / "prompts" / "soundfont.toml").read_text())
    return {name: int(program) for name, program in data["instruments"].items()}


def convert(out_dir: Path, sf_path: Path = DEFAULT_SF3, wanted: dict[str, int] | None = None) -> dict:
    """Write the instruments' Ogg samples under out_dir; return the Strudel sample map."""
    font = SoundFont(sf_path)
    wanted = wanted or load_wanted()
    sample_map: dict[str, dict[str, list[str]]] = {}
    for name, program in wanted.items():
        by_root: dict[int, Sample] = {}
        for inst in font.preset_instruments(program):
            for zone in font.zones(inst):
                sample = font.samples[zone.sample]
                if sample.kind & 0x0F == 2:  # right half of a stereo pair: the left one is enough
                    continue
                if not zone.vel_low <= VELOCITY <= zone.vel_high:
                    continue
                by_root.setdefault(zone.root if zone.root is not None else sample.root, sample)
        keyed: dict[str, list[str]] = {}
        last = -100
        for root in sorted(by_root):
            if root - last < MIN_SPACING:
                continue
            last = root
            rel = f"{name}/{root}.ogg"
            target = out_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(font.ogg(by_root[root]))
            keyed[note_name(root)] = [rel]
        if not keyed:
            raise ValueError(f"{name}: program {program} has no samples")
        sample_map[name] = dict(sorted(keyed.items(), key=lambda kv: _midi(kv[0])))
    return sample_map


def _midi(name: str) -> int:
    pitch = name.rstrip("-0123456789")
    return NOTE_NAMES.index(pitch) + 12 * (int(name[len(pitch) :]) + 1)


if __name__ == "__main__":
    import json
    import sys

    result = convert(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "soundfont")
    print(json.dumps({k: len(v) for k, v in result.items()}))
