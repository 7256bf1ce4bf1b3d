# crackdown: the two commands are `make run` and `make test`; both set up what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
EXTRAS ?= dev,notebook,dask
NATIVE ?= 1
OUT ?= out

.PHONY: setup run test lint model eval peer bench snapshot clean

setup: $(STAMP)
ifeq ($(NATIVE),0)
	$(BIN)/python native.py clean
else
	$(BIN)/python native.py ensure
endif

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[$(EXTRAS)]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: setup
	$(BIN)/crackdown run data/sample/news.jsonl --output $(OUT) --format parquet
	$(BIN)/crackdown extract "Police in Yunnan seized more than 94kg of opium and arrested two suspects on June 15." --published 2019-06-21

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check pipeline tests bench notebooks native.py
	$(BIN)/mypy pipeline

model: setup
	for lang in $$(ls configs/*/config.cfg | cut -d/ -f2); do $(BIN)/crackdown rules build --lang $$lang || exit 1; done

eval: setup
	$(BIN)/crackdown evaluate data/gold/seed.jsonl data/gold/news.jsonl

peer: setup
	$(BIN)/crackdown peer --quantities tests/data/peer/quantities.jsonl --dates tests/data/peer/dates.jsonl

snapshot: setup
	$(BIN)/python -m tests.snapshot

bench: setup
	$(BIN)/python bench/run.py --output bench/results.json

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache
	test ! -x $(BIN)/python || $(BIN)/python native.py clean
