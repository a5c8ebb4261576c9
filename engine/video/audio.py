"""The input's sound in the output video: copied packet for packet where the container takes
its codec, re-encoded where it does not (a .webm holds only Opus or Vorbis: AAC from an .mp4
or .mov becomes Opus), left out with a note where the container holds no sound (.gif)."""

from __future__ import annotations

from pathlib import Path

try:
    import av
except ImportError:  # the video extra; callers run libs.require_video_libs() first
    av = None

# The audio codecs a container may hold, and what to re-encode into when it cannot hold the input's.
ALLOWED = {".webm": ("opus", "vorbis"), ".gif": ()}
REENCODE = {".webm": ("libopus", 48000)}


class AudioTrack:
    """The output's sound stream and how its packets are made from the source's."""

    def __init__(self, stream, source_stream, encoder: bool):
        self.stream, self.source_stream, self.encoder = stream, source_stream, encoder

    def write(self, source, container, span: tuple[float, float] | None) -> None:
        """The source's sound within `span` seconds, shifted to start at 0."""
        start, end = span or (0.0, float("inf"))
        if self.encoder:
            self._reencode(source, container, start, end)
        else:
            self._copy(source, container, start, end)

    def _copy(self, source, container, start: float, end: float) -> None:
        offset = None
        for packet in source.demux(self.source_stream):
            if packet.pts is None or packet.dts is None or not start <= float(packet.pts * packet.time_base) < end:
                continue
            offset = packet.pts if offset is None else offset
            packet.pts, packet.dts = packet.pts - offset, packet.dts - offset
            packet.stream = self.stream
            container.mux(packet)

    def _reencode(self, source, container, start: float, end: float) -> None:
        ctx = self.stream.codec_context
        resampler = av.AudioResampler(format=ctx.format.name, layout=ctx.layout.name, rate=ctx.sample_rate)
        for frame in source.decode(self.source_stream):
            if frame.pts is None or not start <= float(frame.pts * frame.time_base) < end:
                continue
            for part in resampler.resample(frame):
                part.pts = None  # the encoder numbers the samples from 0
                container.mux(self.stream.encode(part))
        for part in resampler.resample(None):
            part.pts = None
            container.mux(self.stream.encode(part))
        container.mux(self.stream.encode(None))


def add_audio(source, container, notes: list) -> AudioTrack | None:
    """The output's sound stream, added before any packet is written; None, with a note, where
    the container holds no sound or this PyAV cannot encode what it needs."""
    audio = source.streams.audio[0]
    suffix = Path(container.name).suffix.lower()
    name = audio.codec_context.name
    allowed = ALLOWED.get(suffix)
    if allowed is None or name in allowed:
        stream = container.add_stream_from_template(audio)
        stream.time_base = audio.time_base
        return AudioTrack(stream, audio, encoder=False)
    if suffix in REENCODE:
        codec, rate = REENCODE[suffix]
        layout = "stereo" if audio.codec_context.layout.nb_channels > 1 else "mono"
        try:
            stream = container.add_stream(codec, rate=rate, layout=layout)
        except (av.FFmpegError, ValueError):
            notes.append(f"this PyAV cannot encode {codec} for a {suffix} file; the {name} audio was left out")
            return None
        notes.append(f"the {name} audio was re-encoded as Opus, the sound a {suffix} file holds")
        return AudioTrack(stream, audio, encoder=True)
    notes.append(f"a {suffix} file holds no sound; the {name} audio was left out")
    return None
