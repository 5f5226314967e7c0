"""The editors' uploads are read by a child process (the bot's loop keeps running): it must read
exactly as this process would, problems included."""

from __future__ import annotations

from knowledge.yaml_reading import MAX_NESTING, read_in_child, read_yaml


async def test_the_child_reads_as_this_process_would() -> None:
    files = {
        "content/en/health.yaml": "health.pep:\n  title: PEP\n  questions: [what is pep]\n  reviewed: 2024-01-01\n",
        "content/nl/health.yaml": "health.pep: [unclosed\n",
        "content/fr/health.yaml": "a: " + "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5) + "\n",
        "content/es/health.yaml": "when: 2024-13-45\n",
        "content/pt/health.yaml": "",
    }
    read = await read_in_child(files)
    assert read == {name: read_yaml(text) for name, text in files.items()}
    assert read["content/en/health.yaml"].data["health.pep"]["questions"] == ["what is pep"]
    assert "not valid YAML" in read["content/nl/health.yaml"].problem
    assert "nested more than" in read["content/fr/health.yaml"].problem
    assert read["content/pt/health.yaml"].data == {}
