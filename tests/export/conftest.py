from tests.export.samples import answer, briefing, declined, hostile  # noqa: F401
