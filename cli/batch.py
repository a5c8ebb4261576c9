"""`python main.py batch CONTENT... --style STYLE... -o OUTDIR [render options]`.

The render options are the render command's own (cli.options.build_parser),
borrowed action by action, and turned into Settings by its
settings_from_args, so the two commands cannot drift apart. Exit codes: 0 all
done, 1 some jobs failed, 2 a usage or input error, 130/143 after Ctrl-C or
SIGTERM (the running job's best image saved and marked interrupted).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from batch.jobs import Record, file_jobs, pair_jobs
from batch.local import run_local
from batch.runner import Display, Driver
from engine.errors import StyleError
from engine.image.write import real_folder
from engine.pipeline.stages import output_size
from engine.settings import Settings

from .checks import check_room, estimate_file_bytes, snapshot_count
from .common import Parser, guarded
from .options import build_parser, settings_from_args

EXIT_BAD_INPUT = 2
# Render arguments the batch replaces with its own (inputs, an output folder).
_NOT_BORROWED = {"content", "styles", "output", "help"}


def build_batch_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="main.py batch",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        description="Render every CONTENT x STYLE pair (or the jobs of --jobs FILE) into OUTDIR as "
        "CONTENTSTEM__STYLESTEM.png; OUTDIR/batch.json records each job, and running the same "
        "command again skips the jobs that are done.",
    )
    p.add_argument("contents", metavar="CONTENT", nargs="*", help="content photos ('none' for texture synthesis)")
    p.add_argument(
        "--style",
        dest="styles",
        metavar="STYLE",
        nargs="+",
        action="extend",
        default=[],
        help="style images; each content is rendered with each style",
    )
    p.add_argument("-o", "--output", metavar="OUTDIR", required=True, help="output folder (created if missing)")
    p.add_argument("--format", choices=("png", "jpg", "tif"), default="png", help="file type of the outputs")
    p.add_argument(
        "--jobs",
        metavar="FILE.json",
        help="a JSON list of jobs, each with content, styles, "
        "content_mask, style_masks, settings (as --settings reads) and output; instead of CONTENT/--style",
    )
    p.add_argument(
        "--executor",
        choices=("local", "ray"),
        default="local",
        help="render here one job at a time, or each job as a Ray task",
    )
    p.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="join a running Ray cluster ('auto': the one started "
        "on this machine with 'ray start'); without it a local Ray starts on this machine's cores",
    )
    _borrow_render_options(p)
    return p


def _borrow_render_options(p: argparse.ArgumentParser) -> None:
    """Add the render command's options, the same Action objects in the same groups.

    argparse's own `parents=` does this with these private attributes; it cannot
    leave out the render command's positional arguments, so the loop does.
    """
    groups = {}
    for group in build_parser()._action_groups:
        for action in group._group_actions:
            if action.dest in _NOT_BORROWED:
                continue
            title = (
                group.title
                if group.title not in ("options", "optional arguments", "positional arguments")
                else "Render options"
            )
            target = groups.setdefault(title, p.add_argument_group(title))
            target._add_action(action)


def main(argv: list[str] | None = None) -> int:
    return guarded(run, build_batch_parser().parse_args(argv))


def plan(args: argparse.Namespace):
    """Jobs and the output folder, everything checked before any work."""
    if args.bits == 16 and args.format == "jpg":
        raise StyleError("JPEG cannot store 16 bits per channel; use --format png or tif with --bits 16.")
    if args.ray_address and args.executor != "ray":
        raise StyleError("--ray-address needs --executor ray.")
    settings = settings_from_args(args)
    ext = "." + args.format
    if args.jobs:
        if args.contents or args.styles:
            raise StyleError("Give either CONTENT and --style, or --jobs FILE.json, not both.")
        jobs = file_jobs(args.jobs, settings, ext, bits=args.bits, save_every=args.save_every)
    elif not args.contents or not args.styles:
        raise StyleError("Give at least one CONTENT and one --style STYLE (or --jobs FILE.json).")
    else:
        if args.content_mask or args.style_mask:
            raise StyleError(
                "Masks pair one photo's regions with several styles in one job; give them per job "
                'in a --jobs file ("content_mask", "style_masks")'
            )
        jobs = pair_jobs(args.contents, args.styles, settings, ext, bits=args.bits, save_every=args.save_every)
    for job in jobs:
        Settings.from_dict(job.settings).validate(len(job.styles))
        for path in job.paths():
            if Path(path).is_dir():
                raise StyleError(f"{path} (job {job.name}) is a folder; give image files, such as {path}/*.jpg.")
            if not Path(path).is_file():
                raise StyleError(f"{path} (job {job.name}) does not exist; check the path.")
    outdir = _output_folder(args.output)
    record = Record(outdir)
    for job in jobs:
        taken = (outdir / job.name).exists() or (outdir / (job.name + ".json")).exists()
        if taken and not record.is_done(job) and not record.owns(job.name) and not args.overwrite:
            raise StyleError(
                f"{outdir / job.name} already exists and is not from this batch; pass --overwrite "
                "to replace it or choose another output folder"
            )
    _check_disk(outdir, [job for job in jobs if not record.is_done(job)])
    return jobs, outdir, record


def _check_disk(outdir: Path, jobs) -> None:
    """Room for every job still to run, its output and its --save-every snapshots, as render checks its own."""
    need = 0
    for job in jobs:
        settings = Settings.from_dict(job.settings)
        header = _size_and_alpha(job.content or job.styles[0])
        if header is None:
            continue  # an unreadable image fails its own job, with its own sentence
        (w, h), alpha = header
        wh = output_size(np.empty((h, w, 0)), [], settings.output_size)  # only the shape is read
        snapshots = snapshot_count(settings, job.save_every)
        need += estimate_file_bytes(wh, job.bits, alpha and job.content is not None) * (1 + snapshots)
    folder = next(p for p in (outdir.absolute(), *outdir.absolute().parents) if p.exists())
    what = "the outputs and their snapshots" if any(job.save_every for job in jobs) else "the outputs"
    check_room(folder, need, what)


def _size_and_alpha(path: str):
    """((width, height), has an alpha channel) from the file's header, or None if it cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the job's own load says so
            with Image.open(path) as im:
                return im.size, "A" in im.mode or "transparency" in im.info
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError):
        return None


def _output_folder(path: str) -> Path:
    """The output folder, checked but not yet made: a batch that cannot start leaves nothing behind."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise StyleError(f"{out} is a file; -o takes a folder for the batch's outputs")
    existing = next(p for p in (out.absolute(), *out.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise StyleError(f"Output folder {out} cannot be created ({existing} is a file); choose another folder")
    if not os.access(existing, os.W_OK | os.X_OK) or not real_folder(existing):
        where = "is not writable" if existing == out.absolute() else f"cannot be created ({existing} is not writable)"
        raise StyleError(f"Output folder {out} {where}; choose a folder you can write to")
    return out


def _make_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StyleError(f"Output folder {out} cannot be created ({exc.strerror}); choose another folder") from None


def run(args: argparse.Namespace) -> int:
    jobs, outdir, record = plan(args)
    started_ray = False
    if args.executor == "ray":
        from batch.ray_exec import connect  # local: Ray is optional and slow to import

        # A missing Ray or an unreachable cluster is a usage error: nothing has run yet.
        started_ray = connect(args.ray_address)
    try:
        _make_folder(outdir)
    except StyleError:
        if started_ray:
            _disconnect()
        raise
    todo = record.plan(jobs)
    if len(todo) < len(jobs):
        print(f"Skipping {len(jobs) - len(todo)} job(s) already done (see {record.path}).", file=sys.stderr)
    driver = Driver(outdir, record, [j.name for j in jobs], Display(len(todo), args.quiet))
    previous = {s: signal.signal(s, lambda signum, frame: driver.stop(signum)) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        if args.executor == "ray":
            from batch.ray_exec import run_ray  # local: Ray is optional and slow to import

            run_ray(todo, driver)
        else:
            run_local(todo, driver)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if started_ray:
            _disconnect()
    line, code = driver.summary()
    print(line, file=sys.stderr)
    return code


def _disconnect() -> None:
    from batch.ray_exec import disconnect  # local: Ray is optional and slow to import

    disconnect()
