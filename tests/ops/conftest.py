"""A PostgreSQL cluster that asks for a password (scram-sha-256), as production servers do."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.services import PostgresCluster

PASSWORD = "s3cret:pass@word"


@pytest.fixture(scope="session")
def scram_postgres() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster(password=PASSWORD).start()
    yield cluster
    cluster.stop()
