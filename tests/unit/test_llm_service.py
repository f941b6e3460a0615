import json

from app.llm.prompt import load_config
from app.llm.service import ComposerService
from app.session.reading import ReadingSession

from .aio import run
from .fakes import FakePlayer, FakeUI

NO_GPU = {"webgpu": False, "wasm": True, "jspi": True, "memory64": True,
          "webgpu_reason": "no WebGPU adapter is available"}
GOOD = 'setcpm(14)\nstack(\n  n("0 2 4").scale("C3:minor").sound("sine").gain(0.2)\n)'
SHEET = "mood: tender\nmotif: 2 4 5 4 2 1\nchords: 0 5 3 4\nlead: {lead}\narc: rise"


class FakeLLM:
    def __init__(self, caps=None, outputs=None, fail_load=None):
        self.caps = caps or NO_GPU
        self.outputs = list(outputs or [])
        self.fail_load = fail_load
        self.loaded = []
        self.requests = []
        self.warmups = []  # the one-token system-prompt prefill after each load
        self.aborted = 0
        self.during = None  # called while a generation is "in flight"

    async def llm_capabilities(self):
        return json.dumps(self.caps)

    async def llm_load(self, spec_json, on_progress):
        on_progress(0.5, "half")
        if self.fail_load:
            raise RuntimeError(self.fail_load)
        self.loaded.append(json.loads(spec_json))

    async def llm_generate(self, request_json, on_token):
        request = json.loads(request_json)
        if request["section_id"] == "warmup":
            self.warmups.append((len(self.loaded), request))
            return json.dumps({"text": "s", "finish_reason": "length", "seconds": 0.1})
        self.requests.append(request)
        aborted_before = self.aborted
        if self.during:
            hook, self.during = self.during, None
            hook()
        on_token("set")
        if self.aborted > aborted_before:
            return json.dumps({"text": "setcpm(", "finish_reason": "abort"})
        default = GOOD
        if request.get("kind") == "sheet":
            default = SHEET.format(lead=request["grammar_options"]["leads"][0])
        text = self.outputs.pop(0) if self.outputs else default
        return json.dumps({"text": text, "finish_reason": "stop", "seconds": 1.5})

    def llm_abort(self):
        self.aborted += 1

    async def llm_unload(self):
        self.loaded.append(None)


class PickerUI(FakeUI):
    def __init__(self, picked=None, consent=True):
        super().__init__()
        self.picked = picked
        self.consent = consent

    def set_models(self, picker_json):
        self.calls.append(("set_models", picker_json))
        return json.dumps({"id": self.picked or json.loads(picker_json)["default"], "consent": self.consent})


def make(llm=None, picked=None, consent=True):
    ui, player = PickerUI(picked, consent), FakePlayer()
    llm = llm or FakeLLM()
    service = ComposerService(llm=llm, ui=ui, spawn=run)
    ctl = ReadingSession(ui, player, composer=service)
    run(service.start())
    ctl.open_sample()
    return ctl, service, llm, ui, player


def states(ui, index):
    return [c[2] for c in ui.calls if c[0] == "set_section_music" and c[1] == index]


def test_picker_and_engine_line_say_which_engine_and_why():
    _, service, _, ui, _ = make()
    picker = json.loads(next(c[1] for c in ui.calls if c[0] == "set_models"))
    assert picker["engine"] == "wllama" and "no WebGPU adapter" in picker["reason"]
    assert service.selected == picker["default"]
    engine_lines = [c[1] for c in ui.calls if c[0] == "set_engine"]
    assert "CPU engine" in engine_lines[0] and "no WebGPU adapter" in engine_lines[0]


def test_play_loads_the_model_and_it_writes_the_next_sections_which_then_play(code_path):
    ctl, service, llm, ui, player = make()
    assert llm.loaded == []  # nothing downloads before Play
    run(ctl.play())
    assert llm.loaded[0]["engine"] == "wllama" and service.state == "ready"
    # Prefetch depth 2: sections 1 and 2 are written, not the one being read.
    assert [r["index"] for r in llm.requests] == [1, 2]
    assert llm.requests[0]["system"] == load_config().system and llm.requests[0]["grammar_gbnf"]
    assert states(ui, 1) == ["composing", "model"]
    # The instant piece covers section 0; at the boundary the model's piece takes over.
    run(ctl.reader_at(1))
    assert player.played[-1] == service.piece_for(ctl.book.sections[1].id).code
    shown = json.loads([c for c in ui.calls if c[0] == "show_code"][-1][1])
    assert shown["source"].startswith("model")
    # Reaching section 1 moved the window: section 3 is written next, with section 2's code before it.
    assert llm.requests[-1]["index"] == 3
    assert service.pieces[ctl.book.sections[2].id].code.split("\n")[0] in llm.requests[-1]["user"]


def test_code_that_fails_the_validator_never_plays(code_path):
    llm = FakeLLM(outputs=['setcpm(14)\nstack(\n  n("0").sound("gm_secret_sampler")\n)', "fetch('x')"])
    ctl, service, llm, ui, _player = make(llm)
    run(ctl.play())
    assert states(ui, 1)[-1] == "failed" and states(ui, 2)[-1] == "failed"
    assert not service.pieces and len(service.attempts) == 2
    assert all(not a.ok and a.errors for a in service.attempts)
    run(ctl.reader_at(1))
    shown = json.loads([c for c in ui.calls if c[0] == "show_code"][-1][1])
    assert shown["source"] == "instant"


def test_skipped_section_generation_is_cancelled():
    ctl, service, llm, ui, _player = make()
    # While section 1 is being written, the reader jumps to section 3.
    llm.during = lambda: run(ctl.reader_at(3))
    run(ctl.play())
    assert llm.aborted >= 1
    assert ctl.book.sections[1].id not in service.pieces
    assert states(ui, 1) == ["composing", ""]
    assert [r["index"] for r in llm.requests][1:] == [4]  # then the new window: section 4 only (5 sections)


def test_load_failure_is_said_and_the_instant_composer_keeps_playing():
    ctl, service, _llm, ui, player = make(FakeLLM(fail_load="out of memory"))
    run(ctl.play())
    assert service.state == "failed" and player.played and player.played[0]
    status = [c[1] for c in ui.calls if c[0] == "set_status"][-1]
    assert "out of memory" in status and "instant composer" in status


def test_an_f16_only_model_on_a_gpu_without_shader_f16_is_refused_before_loading():
    caps = {**NO_GPU, "webgpu": True, "adapter": "swiftshader", "fallback_adapter": True,
            "max_storage_binding": 1 << 30, "max_buffer_size": 1 << 30}
    ctl, service, llm, ui, _ = make(FakeLLM(caps=caps), picked="gemma3-1b-it-q4f16_1-MLC")
    run(ctl.play())
    assert llm.loaded == [] and service.state == "refused"
    assert "shader-f16" in [c[1] for c in ui.calls if c[0] == "set_engine"][-1]
    # Picking another model loads it.
    run(service.choose("smollm2-135m-instruct-q8_0"))
    assert llm.loaded[-1]["id"] == "smollm2-135m-instruct-q8_0" and service.state == "ready"


def test_instant_only_choice_loads_nothing():
    ctl, service, llm, _ui, _ = make(picked="instant")
    run(ctl.play())
    assert llm.loaded == [] and service.state == "off" and not llm.requests


def test_a_new_book_drops_work_for_the_old_one():
    ctl, service, llm, _ui, _ = make()
    old = ctl.book.sections
    llm.during = lambda: ctl.open_text("other", "Calm words here.\n\nMore calm words.")
    run(ctl.play())
    assert llm.aborted >= 1
    assert old[1].id not in service.pieces and service.sections == ctl.book.sections
    report = json.loads(service.report())
    assert report["state"] == "ready" and report["engine"] == "wllama"


class CutLLM(FakeLLM):
    """Answers every request with `cut(grammar_options)`, as if the token cap had stopped the
    model there."""

    def __init__(self, cut):
        super().__init__()
        self.cut = cut

    async def llm_generate(self, request_json, on_token):
        request = json.loads(request_json)
        if request["section_id"] == "warmup":
            return await super().llm_generate(request_json, on_token)
        self.requests.append(request)
        return json.dumps({"text": self.cut(request["grammar_options"]), "finish_reason": "length",
                           "seconds": 2.0})


def framed(options, layers: str) -> str:
    """A program start inside the request's mood frame (its tempos, first mode, first sound)."""
    return (f'setcpm({options["tempos"][0]})\nstack(\n  '
            + layers.format(mode=options["modes"][0], sound=options["sounds"][0]))


def test_a_program_cut_off_by_the_token_cap_is_finished_under_the_grammar(code_path):
    layer = 'n("0 2 4").scale("C3:{mode}").sound("{sound}").gain(0.2),\n  n("0 2").scale("C4:{mode}")'
    ctl, service, llm, _ui, _ = make(CutLLM(lambda o: framed(o, layer + '.sound("' + o["sounds"][0][:2])))
    run(ctl.play())
    piece = service.piece_for(ctl.book.sections[1].id)
    options = llm.requests[0]["grammar_options"]
    assert piece is not None
    closed = f'n("0 2").scale("C4:{options["modes"][0]}").sound("{options["sounds"][0]}")'
    assert closed in piece.code  # the cut layer, finished
    assert service.attempts[0].stats.get("finished") is True


def test_a_cut_off_program_the_grammar_cannot_finish_keeps_its_complete_layers(code_path):
    # Not a prefix of the model's grammar (a decimal degree), so only salvage can help.
    layer = 'n("0 2 4").scale("C3:{mode}").sound("{sound}").gain(0.2),\n  n("0 2.5").scale("C4:minor").sou'
    ctl, service, _llm, _ui, _ = make(CutLLM(lambda o: framed(o, layer)))
    run(ctl.play())
    piece = service.piece_for(ctl.book.sections[1].id)
    assert piece is not None and piece.code.count(".scale(") == 1
    assert service.attempts[0].stats.get("salvaged") is True


def test_the_page_measures_how_often_the_models_piece_was_ready_when_the_reader_arrived():
    ctl, service, _llm, ui, _ = make(FakeLLM(outputs=[SHEET.format(lead="sine"), "not code"]))
    ctl.set_prefetch(1)
    run(ctl.play())  # writes section 1
    run(ctl.reader_at(1))  # ready on arrival; section 2 is then refused by the validator
    run(ctl.reader_at(2))  # the instant composer covers it: a miss
    run(ctl.reader_at(0))  # going back is not reading on: not counted
    assert json.loads(service.report())["on_time"] == {"reached": 2, "ready": 1}
    lines = [c[1] for c in ui.calls if c[0] == "set_engine"]
    assert any("ready for 1 of 2 sections" in line for line in lines), lines[-3:]


def test_prefetch_depth_from_the_player_panel_steers_the_model():
    ctl, _service, llm, _ui, _ = make()
    ctl.set_prefetch(1)
    run(ctl.play())
    assert [r["index"] for r in llm.requests] == [1]
    ctl.set_prefetch(3)
    assert [r["index"] for r in llm.requests] == [1, 2, 3]


def test_the_readers_edit_wins_over_the_model_and_a_refused_piece_is_dropped():
    ctl, service, _llm, ui, player = make()
    run(ctl.play())
    first = ctl.book.sections[1]
    assert service.piece_for(first.id)
    edit = 'setcpm(20)\nstack(\n  n("0 4").scale("E3:major").sound("square").gain(0.1)\n)'
    assert run(ctl.edit_code(1, edit))
    run(ctl.reader_at(1))
    assert "E3:major" in player.played[-1]
    service.discard(ctl.book.sections[2].id, ["the page refused it"])
    assert service.piece_for(ctl.book.sections[2].id) is None
    assert states(ui, 2)[-1] == "failed"


def test_nothing_downloads_until_the_reader_chooses_a_model():
    ctl, service, llm, ui, _ = make(consent=False)
    run(ctl.play())
    assert llm.loaded == [] and service.state == "idle"
    assert "Load model" in [c[1] for c in ui.calls if c[0] == "set_engine"][-1]
    run(service.choose(service.selected, load_now=True))  # the Load model button
    assert llm.loaded and service.state == "ready" and llm.requests


def test_sections_re_cut_for_a_new_pace_are_what_the_model_writes_for_next():
    ctl, service, llm, _ui, _ = make()
    run(ctl.play())
    before = len(llm.requests)
    ctl.set_wpm(120)  # shorter sections: new ids
    assert service.sections is ctl.book.sections
    new_ids = {r["section_id"] for r in llm.requests[before:]}
    assert new_ids and new_ids <= {s.id for s in ctl.book.sections}


def test_an_ensemble_narrows_the_models_grammar_and_its_pieces_must_use_every_sound(code_path):
    from app.music.ensemble import make_ensemble
    from app.strudel.grammar import gbnf

    ensemble = make_ensemble(["sine", "triangle"])
    # The first answer leaves "triangle" out: refused. The second uses exactly both: kept.
    only_sine = 'setcpm(14)\nstack(\n  n("0 2").scale("C3:minor").sound("sine").gain(0.2)\n)'
    both = ('setcpm(14)\nstack(\n  n("0 2").scale("C3:minor").sound("sine").gain(0.2),\n'
            '  n("4").scale("C3:minor").sound("triangle").gain(0.2)\n)')
    ctl, service, llm, ui, _ = make(FakeLLM(outputs=[only_sine, both]))
    service.set_ensemble(ensemble)
    run(ctl.play())
    grammar = llm.requests[0]["grammar_gbnf"]
    assert '"triangle"' in grammar and '"sawtooth"' not in grammar
    assert '"sawtooth"' in gbnf()  # the unrestricted grammar does allow it: the narrowing is real
    assert states(ui, 1)[-1] == "failed" and "triangle" in " ".join(service.failed[ctl.book.sections[1].id])
    assert service.piece_for(ctl.book.sections[2].id) is not None


def test_changing_the_ensemble_drops_pieces_written_for_the_old_one():
    from app.music.ensemble import make_ensemble

    ctl, service, _llm, ui, _ = make()
    run(ctl.play())
    assert service.pieces
    service.state = "idle"  # keep the pump still so only the dismissal is observed
    service.set_ensemble(make_ensemble(["sine", "triangle"]))
    assert not service.pieces and states(ui, 1)[-1] == ""


def test_endless_mode_writes_with_the_loaded_model_under_the_ensemble():
    from app.music.ensemble import make_ensemble

    both = ('setcpm(14)\nstack(\n  n("0 2").scale("D3:dorian").sound("sine").gain(0.2),\n'
            '  n("4").scale("D3:dorian").sound("triangle").gain(0.2)\n)')
    ctl, service, llm, _ui, _ = make()
    assert run(service.write_endless("calm sea", "")) is None  # no model yet: the drift plays
    run(ctl.play())
    service.set_ensemble(make_ensemble(["sine", "triangle"]))
    service.sections = ()  # no book window: only the endless request reaches the engine
    llm.outputs = [both, both, "fetch('x')"]
    written = run(service.write_endless("a calm sea at dawn", GOOD))
    assert written is not None and '"triangle"' in written and '"sine"' in written
    request = llm.requests[-1]
    assert "calm sea" in request["user"] and '"sawtooth"' not in request["grammar_gbnf"]
    steer = {"tempos": (18, 22), "modes": ("dorian",)}  # endless mode's drift (app/session/listen.py)
    assert run(service.write_endless("a calm sea at dawn", GOOD, steer)) is not None
    options = llm.requests[-1]["grammar_options"]
    assert options["tempos"] == [18, 22] and options["modes"] == ["dorian"]
    assert options["sounds"] == ["sine", "triangle"]  # the ensemble's
    assert run(service.write_endless("again", written)) is None  # refused code never plays
    assert service.in_flight is None and not service.writing_endless


def test_a_loaded_model_prefills_the_system_prompt_before_the_first_section():
    ctl, service, llm, _ui, _ = make()
    run(ctl.play())
    assert len(llm.warmups) == 1
    loads_before, warm = llm.warmups[0]
    assert loads_before == 1  # after loading, before any section request
    assert warm["system"] == llm.requests[0]["system"] == load_config().sheet_system
    assert warm["max_tokens"] == 1 and not warm["grammar_gbnf"]
    assert service.state == "ready" and [r["index"] for r in llm.requests] == [1, 2]


def test_a_model_url_from_another_host_waits_for_the_readers_consent():
    caps = {**NO_GPU, "model_url": "https://example.org/big.gguf", "page_origin": "http://127.0.0.1:8000"}
    ctl, service, llm, ui, _ = make(FakeLLM(caps=caps), consent=False)
    run(ctl.play())
    assert llm.loaded == [] and service.state == "idle"
    assert "example.org" in [c[1] for c in ui.calls if c[0] == "set_engine"][-1]
    run(service.choose(service.selected, load_now=True))  # the reader pressed Load model
    assert llm.loaded and llm.loaded[0]["url"] == "https://example.org/big.gguf"


def test_the_small_model_writes_a_score_sheet_and_the_arranger_plays_it():
    """On the CPU engine the model reads and chooses (mood, tune, chords, instrument, arc); the
    arranger writes the piece, so it keeps the arranger's form and is valid by construction."""
    ctl, service, llm, ui, player = make()
    run(ctl.play())
    request = llm.requests[0]
    assert request["kind"] == "sheet" and request["system"] == load_config().sheet_system
    assert "The word list reads:" in request["user"] and request["max_tokens"] <= 64
    lead = request["grammar_options"]["leads"][0]
    assert f'"{lead}"' in request["grammar_gbnf"] and '"tender"' in request["grammar_ebnf"]
    assert '"bd"' not in request["grammar_gbnf"]  # drums cannot carry a tune
    piece = service.piece_for(ctl.book.sections[1].id)
    assert piece is not None and piece.mood == "tender" and piece.source.endswith("arranged")
    assert f'.sound("{lead}")' in piece.code  # the model's lead carries the tune
    assert "<~" in piece.code  # a part waits for its entry: the arranger's form, not a loop
    assert states(ui, 1) == ["composing", "model"]
    run(ctl.reader_at(1))
    assert player.played[-1] == piece.code
    # Another section, another sheet: another piece.
    assert service.piece_for(ctl.book.sections[2].id).code != piece.code


def test_a_sheet_with_nothing_usable_never_plays_and_a_cut_off_one_still_does():
    cut = "mood: angry\nmotif: 0 1 0 3 2\nchords: 0 1"  # the token cap stopped it mid-line
    ctl, service, _llm, ui, _ = make(FakeLLM(outputs=["lorem ipsum", cut]))
    run(ctl.play())
    assert states(ui, 1)[-1] == "failed" and "score sheet" in service.failed[ctl.book.sections[1].id][0]
    piece = service.piece_for(ctl.book.sections[2].id)
    assert piece is not None and piece.mood == "angry"
