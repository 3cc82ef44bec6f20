"""TRL's GRPOTrainer trains for two steps with EfficiencyReward as its reward (issue 13's proof).

Nothing is downloaded: the causal LM is a one-layer Llama with random weights and the tokenizer a word-level
one built here. Its vocabulary holds whole answers as single tokens (a correct program, a wrong one, a
sentence of prose), so what a random policy samples decodes to completions of every kind, each judged by
effilab's evaluator in its sandbox. The reward is wrapped to record what it returned for which completion.

Needs the ``train`` extra (torch, transformers, trl, datasets); ``scripts/test.sh`` installs it and runs
this test with the others (marker ``train``). Without the extra the test fails on the import, on purpose:
it is never skipped silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from effilab.reward import EfficiencyReward
from effilab.reward.completions import prepare

pytestmark = pytest.mark.train

TASK = "pair-sum-count"
PROBLEM = Path(__file__).parents[2] / "src" / "effilab" / "suites" / "builtin" / "effilab" / TASK
RIGHT = "```python\n" + (PROBLEM / "standard.py").read_text() + "```\n"
WRONG = "```python\ndef count_pairs(nums, target):\n    return 0\n```\n"
PROSE = "I think the answer is a hash map."
VOCAB = ["[PAD]", "[EOS]", "[UNK]", "Write", "count_pairs", RIGHT, WRONG, PROSE]


class Recording:
    """The reward as TRL sees it (same name, same call), keeping each batch's completions and rewards."""

    def __init__(self, reward: EfficiencyReward) -> None:
        self.reward = reward
        self.__name__ = reward.__name__
        self.calls: list[tuple[list[Any], list[float], dict[str, Any]]] = []

    def __call__(self, prompts: list[Any], completions: list[Any], **kwargs: Any) -> list[float]:
        rewards = self.reward(prompts=prompts, completions=completions, **kwargs)
        self.calls.append((list(completions), list(rewards), kwargs))
        return rewards


def _tokenizer() -> Any:
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import WhitespaceSplit
    from transformers import PreTrainedTokenizerFast

    model = WordLevel(vocab={token: i for i, token in enumerate(VOCAB)}, unk_token="[UNK]")
    tokenizer = Tokenizer(model)
    tokenizer.pre_tokenizer = WhitespaceSplit()  # prompts are plain words; answers are only ever decoded
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, pad_token="[PAD]", eos_token="[EOS]", unk_token="[UNK]"
    )


def _model() -> Any:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(VOCAB),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=32,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=1,
    )
    return LlamaForCausalLM(config)


def test_grpo_trains_two_steps_on_effilab_rewards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.setenv(name, "1")  # no network, whatever a library might try
    monkeypatch.setenv("WANDB_DISABLED", "true")
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    with EfficiencyReward(suite="effilab", workers=2, variant="eff", repetitions=1) as reward:
        # The scripted check: the same reward object on known completions.
        right, wrong, prose = reward(
            prompts=["Write count_pairs"] * 3, completions=[RIGHT, WRONG, PROSE], task_id=[TASK] * 3
        )
        assert right >= 1.0 > wrong == 0.0 > prose

        recording = Recording(reward)
        dataset = Dataset.from_dict({"prompt": ["Write count_pairs"] * 8, "task_id": [TASK] * 8})
        config = GRPOConfig(
            output_dir=str(tmp_path),
            max_steps=2,
            per_device_train_batch_size=4,
            num_generations=4,
            max_completion_length=2,
            learning_rate=1e-2,
            temperature=1.0,
            beta=0.0,
            logging_steps=1,
            report_to="none",
            save_strategy="no",
            use_cpu=True,
            bf16=False,
            disable_tqdm=True,
            dataloader_num_workers=0,
            seed=0,
        )
        trainer = GRPOTrainer(
            model=_model(),
            reward_funcs=[recording],
            args=config,
            train_dataset=dataset,
            processing_class=_tokenizer(),
        )
        output = trainer.train()

    assert output.global_step == 2
    assert len(recording.calls) >= 2  # one reward call per generation batch, at least one per step
    seen: dict[str, float] = {}
    for completions, rewards, kwargs in recording.calls:
        assert kwargs["task_id"] == [TASK] * len(completions)
        assert len(rewards) == len(completions)
        for completion, value in zip(completions, rewards, strict=True):
            code = prepare(completion, "count_pairs")
            kind = "malformed" if code.malformed else ("right" if "seen" in code.code else "wrong")
            expected = {"right": right, "wrong": wrong, "malformed": prose}[kind]
            assert value == pytest.approx(expected, abs=1e-9) if kind != "right" else value >= 1.0
            seen[kind] = value
    # The random policy sampled answers of more than one kind, and they were rewarded differently.
    assert len(set(seen.values())) >= 2, seen
    # Rewards reached the trainer's logs.
    logged = [entry for entry in trainer.state.log_history if "reward" in entry]
    assert logged
    assert any("rewards/effilab_efficiency/mean" in entry for entry in logged)
