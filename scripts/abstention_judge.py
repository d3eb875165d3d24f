"""The packaged model's yes/no judgement stacked on the abstention verifier (``--judge-questions``
of ``scripts/train_abstention.py``), and the threshold both fits choose.

The judgement is the Qwen model's answer to "does this evidence state the
answer?" over the evidence an answer would show it (one prefill per question);
:func:`fit_judge` stacks it on the evidence features' log-odds as
:class:`~retrieval.answer.abstention.JudgeStack`. Measured 2026-11-30 on 160
held-out questions: ROC AUC 0.62 for the judgement against 0.77 for the
features, no more unanswerable questions declined at the same cost, so the
shipped verifier has no judge (see :mod:`retrieval.answer.abstention`).
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import numpy as np

from retrieval.answer.abstention import AbstentionModel, features
from retrieval.settings import Settings


def judge_readings(judged: list, indices: list[int], cache: Path | None) -> dict[int, float]:
    """The packaged Qwen model's yes/no judgement (``yes_score``) for each chosen question.

    The prompt is the one an answer sends to the judge (:func:`judge_messages`
    over the evidence an answer would choose). Scores are saved to ``cache``
    (``.json``) as they come, so a long run can be stopped and resumed.
    """
    from retrieval.answer.evidence import select_evidence
    from retrieval.answer.prompts import judge_messages
    from retrieval.backends.local import TransformersGenerator
    from retrieval.settings import PACKAGED_QWEN

    done: dict[int, float] = {}
    if cache and cache.is_file():
        done = {int(k): float(v) for k, v in json.loads(cache.read_text()).items()}
    todo = [i for i in indices if i not in done]
    if todo:
        generator = TransformersGenerator(PACKAGED_QWEN, Settings().cache_dir)
        limit = Settings().generation.answer_sentences
        for n, index in enumerate(todo, 1):
            question, _, _, ranked = judged[index]
            evidence = select_evidence(ranked, limit)
            done[index] = generator.yes_score(judge_messages(question, evidence))
            if cache and (n % 20 == 0 or n == len(todo)):
                cache.write_text(json.dumps({str(k): v for k, v in done.items()}))
                print(f"  judged {n}/{len(todo)} questions", flush=True)
    return {i: done[i] for i in indices if i in done}


def judge_order(judged: list) -> list[int]:
    """The order questions are judged in: up to 300 of the training articles and
    220 of the held-out ones, alternating, each split half answerable."""
    train = _split_sample(judged, False, 300)
    held = _split_sample(judged, True, 220)
    return [i for pair in zip(train, held, strict=False) for i in pair] + train[len(held) :]


def _split_sample(judged: list, held: bool, count: int) -> list[int]:
    """``count`` question indices of one split, half answerable."""
    rng = random.Random(11 if held else 5)
    chosen: list[int] = []
    for label in (1, 0):
        pool = [i for i, j in enumerate(judged) if j[2] == held and j[1] == label]
        rng.shuffle(pool)
        chosen += pool[: count // 2]
    return sorted(chosen)


def fit_judge(
    judged: list,
    scores: dict[int, float],
    model: AbstentionModel,
    max_declined: float,
) -> AbstentionModel:
    """Stack the model's yes/no judgement on the evidence model (see ``JudgeStack``).

    Every question judged (training and held-out articles, never the
    benchmark's) takes part, by 5-fold cross-validation grouped by article:
    a two-weight logistic regression over (evidence log-odds, yes_score)
    gives out-of-fold probabilities; the threshold declines the most
    unanswerable questions with at most ``max_declined`` of answerable ones,
    out of fold. The stacker is then fitted on all of them.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold, cross_val_predict

    from retrieval.answer.abstention import JudgeStack
    from retrieval.settings import PACKAGED_QWEN

    rows = sorted(scores)
    y = np.array([judged[i][1] for i in rows])
    groups = [judged[i][3][0].paragraph.article_title for i in rows]
    evidence = np.array([model.logit(features(judged[i][0], judged[i][3])) for i in rows])
    judge = np.array([scores[i] for i in rows])
    x = np.column_stack([evidence, judge])
    print(f"judge: {len(rows)} questions, {len(set(groups))} articles, {y.mean():.2f} answerable")
    _, rate, answered = decline_threshold(1 / (1 + np.exp(-evidence)), y, max_declined)
    print(
        f"  ROC AUC: evidence {roc_auc_score(y, evidence):.3f}, judge "
        f"{roc_auc_score(y, judge):.3f}; evidence alone declines {rate:.3f} ({answered:.3f})"
    )
    out_of_fold = cross_val_predict(
        LogisticRegression(), x, y, groups=groups, cv=GroupKFold(5), method="predict_proba"
    )[:, 1]
    threshold, rate, answered = decline_threshold(out_of_fold, y, max_declined)
    stacker = LogisticRegression().fit(x, y)
    stack = (float(stacker.coef_[0][0]), float(stacker.coef_[0][1]), float(stacker.intercept_[0]))
    print(
        f"  stacked: ROC AUC {roc_auc_score(y, out_of_fold):.3f}; threshold {threshold:.3f}: "
        f"unanswerable declined {rate:.3f}, answerable declined {answered:.3f} (out of fold)"
    )
    return replace(model, judge=JudgeStack(PACKAGED_QWEN, stack, threshold))


def decline_threshold(
    p: np.ndarray, y: np.ndarray, max_declined: float
) -> tuple[float, float, float]:
    """The highest threshold declining at most ``max_declined`` of answerable (label 1) rows."""
    chosen = 0.0
    for threshold in np.linspace(0.01, 0.99, 197):
        if (p < threshold)[y == 1].mean() <= max_declined:
            chosen = float(threshold)
    declined = p < chosen
    return chosen, float(declined[y == 0].mean()), float(declined[y == 1].mean())
