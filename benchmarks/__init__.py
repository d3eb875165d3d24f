"""Newsdesk benchmarks: answer quality, briefing quality and speed.

Run ``python -m benchmarks`` for everything, or one of ``benchmarks.quality``,
``benchmarks.briefings`` and ``benchmarks.speed`` on its own.
"""
