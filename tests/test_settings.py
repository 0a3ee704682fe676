import pytest

from newsflow.errors import ConfigError
from newsflow.settings import load_settings


def test_defaults_are_complete_and_frozen():
    settings = load_settings(environ={})
    assert settings.input.paths == ("seeds",)
    assert settings.language.default == "de"
    assert settings.nlp.pipelines["fr"].models[-1] == "fr_core_news_sm"
    assert settings.nlp.kb_path.is_dir()
    with pytest.raises(AttributeError):
        settings.pipeline.batch_size = 3  # type: ignore[misc]


def test_file_then_environment_override(tmp_path):
    override = tmp_path / "site.toml"
    override.write_text('[pipeline]\nbatch_size = 7\n[warehouse]\npath = "/data/x.duckdb"\n')
    settings = load_settings(
        override, environ={"NEWSFLOW_WAREHOUSE__PATH": "/env/y.duckdb", "NEWSFLOW_LANGUAGE__LANGUAGES": '["de", "fr"]'}
    )
    assert settings.pipeline.batch_size == 7
    assert settings.warehouse.path == "/env/y.duckdb"
    assert settings.language.languages == ("de", "fr")


def test_config_hash_follows_the_values():
    assert load_settings(environ={}).config_hash == load_settings(environ={}).config_hash
    assert load_settings(environ={"NEWSFLOW_PIPELINE__BATCH_SIZE": "9"}).config_hash != load_settings(environ={}).config_hash


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[pipeline]\nbatchsize = 7\n", "unknown config key 'pipeline.batchsize'"),
        ("[pipline]\nbatch_size = 7\n", "unknown config key 'pipline'"),
        ("[pipeline]\nbatch_size = 'many'\n", "'pipeline.batch_size' must be int"),
        ("[pipeline]\nbatch_size = 0\n", "'pipeline.batch_size' must be positive"),
        ("[input]\ntrust_mtime = 1\n", "'input.trust_mtime' must be bool"),
        ("[nlp.pipelines.de]\nfallback = 'guess'\n", "must be one of"),
        ("[language]\ndefault = 'es'\n", "'language.default'"),
        ("[language]\nlanguages = ['de', 'es']\n", "no pipeline configured for language(s) ['es']"),
    ],
)
def test_wrong_keys_and_values_are_named(tmp_path, text, message):
    override = tmp_path / "bad.toml"
    override.write_text(text)
    with pytest.raises(ConfigError, match=None) as caught:
        load_settings(override, environ={})
    assert message in str(caught.value)


def test_new_language_pipeline_can_be_added(tmp_path):
    override = tmp_path / "es.toml"
    override.write_text("[language]\nlanguages = ['de', 'es']\n[nlp.pipelines.es]\nmodels = ['es_core_news_sm']\nfallback = 'embedded'\n")
    assert load_settings(override, environ={}).nlp.pipelines["es"].models == ("es_core_news_sm",)


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml", environ={})
