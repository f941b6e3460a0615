"""Build step: General MIDI instruments and a drum kit from a free SoundFont, as Strudel sample maps.

Source: Debian's `musescore-general-soundfont-small` (MuseScore_General_Lite.sf3, MIT licence,
parts public domain / CC0; see prompts/SOUNDFONT-LICENSE.md). An SF3 file is an SF2 whose samples
are Ogg Vorbis streams, which browsers decode natively, so each instrument zone's sample is copied
out byte for byte: no decoder needed at build time.

For every instrument listed in prompts/soundfont.toml we read the preset (bank 0, GM program),
take one sample per key zone (left channel of stereo pairs) and write
    dist/vendor/soundfont/<name>/<midi>.ogg
plus a note-keyed sample map, {"gm_piano": {"c3": ["gm_piano/48.ogg"], ...}}: Strudel plays the
nearest sample and repitches it, like the SoundFont's own key zones. Drums (bank 128 preset 0,
the GM standard kit) are one sample per sound, {"bd": ["bd/36.ogg"]}, played at their own pitch.

Sustained instruments are short recordings with a loop: the SoundFont loops a stretch of the
sample while the key is held. We keep those loop points, in seconds from the sample's start, for
the player to hand to Strudel's sampler (`loop`, `loopBegin`, `loopEnd`). In SF3 the header's
start/end are byte offsets of the Ogg stream, but startloop/endloop count decoded frames from the
sample's own first frame (checked against the decoded audio: bench/palette.py `loops`).
"""

from __future__ import annotations

import struct
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SF3 = Path("/usr/share/sounds/sf3/MuseScore_General_Lite.sf3")
NOTE_NAMES = ["c", "db", "d", "eb", "e", "f", "gb", "g", "ab", "a", "bb", "b"]

# SoundFont 2.04 generator numbers (section 8.1.2).
GEN_KEY_RANGE, GEN_VEL_RANGE, GEN_INSTRUMENT, GEN_SAMPLE_ID, GEN_ROOT_KEY = 43, 44, 41, 53, 58
GEN_SUSTAIN_VOL, GEN_RELEASE_VOL, GEN_SAMPLE_MODES = 37, 38, 54
LOOPING_MODES = (1, 3)  # 1: loop while held and after, 3: loop while held then play the rest
# A looped zone whose volume envelope sustains more than this far down (centibels) is a decaying
# instrument (piano, harp, guitars: 1000 cB, silence): its loop only pads the tail, so it is not
# played looped. Strings, winds, choir and pads sustain at 0-16 cB.
SUSTAIN_LIMIT_CB = 100
MAX_RELEASE = 1.5  # seconds: a SoundFont release longer than this would smear the next chord
MIN_SPACING = 3  # semitones between kept samples: Strudel repitches the nearest one
VELOCITY = 80  # keep the mezzo-forte layer of multi-velocity instruments
DRUM_BANK = 128


@dataclass(frozen=True)
class Sample:
    name: str
    start: int
    end: int
    loop_start: int  # SF3: frames from the sample's first decoded frame
    loop_end: int
    rate: int
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
    mode: int = 0  # sampleModes: 0 plays once, 1 and 3 loop
    sustain_cb: int = 0  # volume envelope sustain, centibels below full
    release_tc: int = -12000  # volume envelope release, timecents

    @property
    def sustains(self) -> bool:
        return self.mode in LOOPING_MODES and self.sustain_cb < SUSTAIN_LIMIT_CB

    @property
    def release(self) -> float:
        return min(MAX_RELEASE, 2.0 ** (self.release_tc / 1200))


@dataclass
class Converted:
    """What the build ships: the Strudel sample map and, per sound, what the player needs."""

    map: dict[str, dict[str, list[str]] | list[str]] = field(default_factory=dict)
    loops: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # sound -> key -> [begin, end] s
    release: dict[str, float] = field(default_factory=dict)  # looped sounds' release, seconds
    written: dict[int, str] = field(default_factory=dict)  # sample index -> file, shipped once

    def facts(self, base: str) -> dict:
        return {"base": base, "map": self.map, "loops": self.loops, "release": self.release}


def _signed(value: int) -> int:
    return value - 0x10000 if value > 0x7FFF else value


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


def ogg_frames(ogg: bytes) -> int:
    """Decoded length of a Vorbis stream: the granule position of its last page."""
    last = ogg.rfind(b"OggS")
    return int(struct.unpack_from("<q", ogg, last + 6)[0]) if last >= 0 else 0


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
            Sample(n.split(b"\0")[0].decode("latin-1"), s, e, ls, le, rate, root, kind)
            for n, s, e, ls, le, rate, root, _corr, _link, kind in self._records("shdr", "<20sIIIIIBbHH")
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
        shared: dict[int, int] = {}  # the instrument's global zone: defaults for the others
        for b in range(first, last):
            gens = self._gens(self.igen, self.ibag[b][0], self.ibag[b + 1][0])
            if GEN_SAMPLE_ID not in gens:
                if b == first:
                    shared = gens
                continue
            gens = {**shared, **gens}
            key_range = gens.get(GEN_KEY_RANGE, 127 << 8)
            vel_range = gens.get(GEN_VEL_RANGE, 127 << 8)
            root = gens.get(GEN_ROOT_KEY)
            zones.append(Zone(key_range & 0xFF, key_range >> 8, gens[GEN_SAMPLE_ID],
                              None if root in (None, 0xFFFF) or root > 127 else root,
                              vel_range & 0xFF, vel_range >> 8,
                              gens.get(GEN_SAMPLE_MODES, 0) & 3,
                              _signed(gens.get(GEN_SUSTAIN_VOL, 0)),
                              _signed(gens.get(GEN_RELEASE_VOL, 0x10000 - 12000))))
        return zones

    def ogg(self, sample: Sample) -> bytes:
        if not sample.kind & 0x10:
            raise ValueError(f"sample {sample.name} is not compressed (not an SF3 sample)")
        data = self.smpl[sample.start : sample.end]
        if data[:4] != b"OggS":
            raise ValueError(f"sample {sample.name} is not an Ogg stream")
        return data

    def loop_seconds(self, sample: Sample) -> list[float] | None:
        """The loop, in seconds from the start, if it lies inside the decoded sample."""
        frames = ogg_frames(self.ogg(sample))
        if not 0 <= sample.loop_start < sample.loop_end <= frames or sample.rate <= 0:
            return None
        return [round(sample.loop_start / sample.rate, 6), round(sample.loop_end / sample.rate, 6)]


def note_name(midi: int) -> str:
    return f"{NOTE_NAMES[midi % 12]}{midi // 12 - 1}"


@dataclass(frozen=True)
class Wanted:
    instruments: dict[str, int]  # sound name -> GM program (bank 0)
    drums: dict[str, int]  # sound name -> GM percussion key (bank 128, preset 0)


def load_wanted(path: Path | None = None) -> Wanted:
    data = tomllib.loads((path or ROOT / "prompts" / "soundfont.toml").read_text())
    return Wanted(
        {name: int(program) for name, program in data["instruments"].items()},
        {name: int(key) for name, key in data.get("drums", {}).items()},
    )


def _playable(font: SoundFont, zone: Zone) -> bool:
    sample = font.samples[zone.sample]
    # The right half of a stereo pair: the left one is enough.
    return sample.kind & 0x0F != 2 and zone.vel_low <= VELOCITY <= zone.vel_high


def _write(font: SoundFont, out_dir: Path, rel: str, index: int, result: Converted) -> str:
    """Copy a sample out once: presets that share samples (the warm pad plays the string
    ensemble's) point at the first copy."""
    if index not in result.written:
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(font.ogg(font.samples[index]))
        result.written[index] = rel
    return result.written[index]


def _instrument(font: SoundFont, out_dir: Path, name: str, program: int, result: Converted) -> None:
    by_root: dict[int, Zone] = {}
    for inst in font.preset_instruments(program):
        for zone in font.zones(inst):
            if _playable(font, zone):
                root = zone.root if zone.root is not None else font.samples[zone.sample].root
                by_root.setdefault(root, zone)
    keyed: dict[str, list[str]] = {}
    loops: dict[str, list[float]] = {}
    releases: list[float] = []
    last = -100
    for root in sorted(by_root):
        if root - last < MIN_SPACING:
            continue
        last = root
        zone, sample = by_root[root], font.samples[by_root[root].sample]
        keyed[note_name(root)] = [_write(font, out_dir, f"{name}/{root}.ogg", zone.sample, result)]
        loop = font.loop_seconds(sample) if zone.sustains else None
        if loop:
            loops[note_name(root)] = loop
            releases.append(zone.release)
    if not keyed:
        raise ValueError(f"{name}: program {program} has no samples")
    result.map[name] = dict(sorted(keyed.items(), key=lambda kv: _midi(kv[0])))
    if loops:
        result.loops[name] = dict(sorted(loops.items(), key=lambda kv: _midi(kv[0])))
        result.release[name] = round(max(releases), 3)


def _drum(font: SoundFont, out_dir: Path, name: str, key: int, result: Converted) -> None:
    for inst in font.preset_instruments(0, DRUM_BANK):
        for zone in font.zones(inst):
            if zone.low <= key <= zone.high and _playable(font, zone):
                # A list, not note-keyed: Strudel plays it at its own pitch.
                result.map[name] = [_write(font, out_dir, f"{name}/{key}.ogg", zone.sample, result)]
                return
    raise ValueError(f"{name}: the drum kit has no sample for key {key}")


def convert(out_dir: Path, sf_path: Path = DEFAULT_SF3, wanted: Wanted | None = None) -> Converted:
    """Write the instruments' and drums' Ogg samples under out_dir; return what the page needs."""
    font = SoundFont(sf_path)
    wanted = wanted or load_wanted()
    result = Converted()
    for name, program in wanted.instruments.items():
        _instrument(font, out_dir, name, program, result)
    for name, key in wanted.drums.items():
        _drum(font, out_dir, name, key, result)
    return result


def _midi(name: str) -> int:
    pitch = name.rstrip("-0123456789")
    return NOTE_NAMES.index(pitch) + 12 * (int(name[len(pitch) :]) + 1)


if __name__ == "__main__":
    import json
    import sys

    result = convert(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "soundfont")
    print(json.dumps({k: len(v) for k, v in result.map.items()}))
