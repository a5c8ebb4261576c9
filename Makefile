# Two commands: `make run` and `make test`. Both create .venv on first use and
# reinstall only when requirements.txt changes.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-all bench clean docs docs-figures docs-look docs-look-all docs-photoreal docs-video docs-print docs-screenshots

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q --no-deps -e .
	@touch $(STAMP)

run: $(STAMP)
	$(PY) main.py $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

test-all: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "slow or not slow"

bench: $(STAMP)
	$(PY) bench/cpu_speed.py

# `make docs`: every README figure, picture and screenshot again from the bench scripts, so
# they cannot drift (hours on a 2-core CPU; each docs-* target runs one step on its own).
DOCS_TMP := build/docs
SHOTS := xvfb-run -a -s "-screen 0 1400x900x24"

docs: docs-figures docs-look docs-look-all docs-photoreal docs-video docs-print docs-screenshots

docs-figures: $(STAMP)
	$(PY) bench/make_figures.py

docs-look: $(STAMP)
	$(PY) bench/look.py --pairs 0:0,3:1 --sheet docs/images/look.png --save $(DOCS_TMP)/pairs --crops $(DOCS_TMP)/crops
	cp $(DOCS_TMP)/pairs/chelsea_van_gogh_starry_night_1889.png docs/images/cat_starry.png
	cp $(DOCS_TMP)/pairs/opencv_leuvenA_street_hokusai_great_wave_off_kanagawa.png docs/images/street_wave.png
	cp $(DOCS_TMP)/crops/crop_chelsea.png docs/images/crop_cat.png

docs-look-all: $(STAMP)
	$(PY) bench/look.py --all --save $(DOCS_TMP)/all
	$(PY) bench/look.py --all --grid docs/images/look_all.jpg --grid-from $(DOCS_TMP)/all

docs-photoreal: $(STAMP)
	$(PY) bench/photoreal_bench.py --figure docs/images/photoreal_lake.png
	$(PY) bench/photoreal_bench.py --content plasma_path_summer_forest.jpg --size 384 --stage1 80 --iterations 150 \
		--figure docs/images/photoreal_forest.png

docs-video: $(STAMP)
	$(PY) bench/video_consistency.py --strip docs/images/video_strip.png

docs-print: $(STAMP)
	$(PY) bench/print_export.py --figure docs/images/print_export.png

docs-screenshots: $(STAMP)
	$(SHOTS) $(PY) tools/screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) .venv-cpu .venv-cpu-video build dist

include Makefile.packaging
