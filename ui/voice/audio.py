"""Small PCM helpers on the standard library's wave module: a chime, trimming and joining.

Every clip is brought to one format (22,050 Hz, mono, 16-bit - what espeak-ng writes), so an
announcement is a plain concatenation of samples and one WAV file that QMediaPlayer can play.
"""

from __future__ import annotations

import math
import sys
import wave
from array import array
from pathlib import Path

RATE = 22050


def read_wav(path: Path) -> array:
    """Samples of a WAV in the common format, converting channels and rate if a recording differs."""
    with wave.open(str(path), "rb") as w:
        channels, width, rate, n = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
        raw = w.readframes(n)
    if width != 2:
        raise ValueError(f"{path.name}: only 16-bit WAV clips are supported, got {8 * width}-bit")
    samples = array("h")
    samples.frombytes(raw)
    if sys.byteorder == "big":
        samples.byteswap()
    if channels > 1:  # average the channels into one
        samples = array("h", (sum(samples[i:i + channels]) // channels for i in range(0, len(samples), channels)))
    if rate != RATE:  # linear interpolation is plenty for speech
        ratio = rate / RATE
        out = array("h")
        for i in range(int(len(samples) / ratio)):
            x = i * ratio
            j = int(x)
            nxt = samples[j + 1] if j + 1 < len(samples) else samples[j]
            out.append(int(samples[j] + (nxt - samples[j]) * (x - j)))
        samples = out
    return samples


def write_wav(path: Path, samples: array) -> Path:
    """Write atomically (temp file, then rename), so a player never opens a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = array("h", samples)
    if sys.byteorder == "big":
        data.byteswap()
    tmp = path.with_suffix(".part")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(data.tobytes())
    tmp.replace(path)
    return path


def silence(seconds: float) -> array:
    return array("h", bytes(2 * int(RATE * seconds)))


def trim(samples: array, threshold: int = 400, margin_s: float = 0.02) -> array:
    """Cut the silence espeak-ng puts around each clip, so joined syllables flow like speech."""
    loud = [i for i in range(len(samples)) if abs(samples[i]) > threshold]
    if not loud:
        return array("h")
    margin = int(RATE * margin_s)
    return samples[max(0, loud[0] - margin):min(len(samples), loud[-1] + margin)]


def chime(volume: float = 0.45) -> array:
    """叮咚: two soft bell tones (E6 then C6) with a few harmonics and an exponential decay."""
    out = array("h")
    for freq, length in ((1318.5, 0.42), (1046.5, 0.75)):
        n = int(RATE * length)
        for i in range(n):
            t = i / RATE
            attack = min(1.0, t / 0.008)  # no click at the start
            env = attack * math.exp(-4.2 * t / length)
            tone = (math.sin(2 * math.pi * freq * t) + 0.35 * math.sin(4 * math.pi * freq * t)
                    + 0.12 * math.sin(6 * math.pi * freq * t)) / 1.47
            out.append(int(32767 * volume * env * tone))
    return out


def duration_s(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()
