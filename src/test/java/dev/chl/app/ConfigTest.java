package dev.chl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigTest {
    private static final String TOKEN = "0123456789abcdef"; // exactly the minimum length

    @TempDir
    Path dir;

    private Config config(String host, int port, String token) {
        return new Config(dir, host, port, token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.10", "::"})
    void aNonLoopbackHostWithoutATokenIsRefused(String host) {
        assertThatThrownBy(() -> config(host, 8000, null).validated())
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("CHL_API_TOKEN")
                .hasMessageContaining(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.10"})
    void aNonLoopbackHostWithATokenIsAccepted(String host) {
        Config c = config(host, 8000, TOKEN);
        assertThat(c.validated()).isSameAs(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "::1", "127.0.0.2"})
    void loopbackNeedsNoToken(String host) {
        assertThatCode(() -> config(host, 8000, null).validated()).doesNotThrowAnyException();
    }

    @Test
    void aTokenShorterThanSixteenCharactersIsRefusedEvenOnLoopback() {
        assertThatThrownBy(() -> config("127.0.0.1", 8000, "0123456789abcde").validated())
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageContaining("CHL_API_TOKEN")
                .hasMessageContaining("16");
        assertThatThrownBy(() -> config("0.0.0.0", 8000, "short").validated()).isInstanceOf(Config.ConfigException.class);
        assertThatCode(() -> config("0.0.0.0", 8000, TOKEN).validated()).doesNotThrowAnyException();
        assertThat(Config.MIN_TOKEN_LENGTH).isEqualTo(16);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, 100000})
    void portsOutOfRangeAreRefused(int port) {
        assertThatThrownBy(() -> config("127.0.0.1", port, null).validated())
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("CHL_PORT");
    }

    @Test
    void portZeroAndTheEdgesAreAccepted() {
        assertThatCode(() -> config("127.0.0.1", 0, null).validated()).doesNotThrowAnyException();
        assertThatCode(() -> config("127.0.0.1", 1, null).validated()).doesNotThrowAnyException();
        assertThatCode(() -> config("127.0.0.1", 65535, null).validated()).doesNotThrowAnyException();
    }

    @Test
    void appStartRefusesAnUnsafeConfigBeforeBinding() {
        Path data = dir.resolve("never-created");
        assertThatThrownBy(() -> App.start(new Config(data, "0.0.0.0", 0, null), Clock.systemUTC()))
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("CHL_API_TOKEN");
        assertThat(data).doesNotExist();
    }

    @Test
    void anEmptyVariableMeansItsDefault() {
        // What compose files, systemd units and .env templates write for "unset".
        Config c = Config.fromEnv(Map.of("CHL_DATA_DIR", "", "CHL_HOST", "  ", "CHL_PORT", "", "CHL_GOOGLE_API_ROOT", ""));
        assertThat(c.dataDir()).isEqualTo(Path.of("data").toAbsolutePath().normalize());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8000);
        assertThat(c.googleApiRoot()).startsWith("https://");
    }

    @Test
    void fromEnvHasSafeDefaults() {
        Config c = Config.fromEnv(Map.of());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8000);
        assertThat(c.apiToken()).isNull();
        assertThat(c.dataDir()).isAbsolute().isEqualTo(Path.of("data").toAbsolutePath().normalize());
        assertThat(c.baseUrl()).isEqualTo("http://127.0.0.1:8000");
    }

    @Test
    void fromEnvReadsEveryVariable() {
        Config c = Config.fromEnv(Map.of("CHL_HOST", " 0.0.0.0 ", "CHL_PORT", " 9001 ", "CHL_API_TOKEN", "  " + TOKEN + "  ",
                "CHL_DATA_DIR", dir.toString()));
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(9001);
        assertThat(c.apiToken()).isEqualTo(TOKEN);
        assertThat(c.dataDir()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(c.validated()).isSameAs(c);
    }

    @Test
    void aBlankTokenCountsAsNoToken() {
        Config c = Config.fromEnv(Map.of("CHL_API_TOKEN", "   ", "CHL_HOST", "0.0.0.0"));
        assertThat(c.apiToken()).isNull();
        assertThatThrownBy(c::validated).isInstanceOf(Config.ConfigException.class).hasMessageContaining("CHL_API_TOKEN");
    }

    @Test
    void aNonNumericPortIsExplained() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CHL_PORT", "eighty")))
                .isInstanceOf(Config.ConfigException.class).hasMessageContaining("CHL_PORT").hasMessageContaining("eighty");
    }

    @Test
    void ipv6HostsAreBracketedInTheBaseUrl() {
        assertThat(new Config(dir, "::1", 8000, null).baseUrl()).isEqualTo("http://[::1]:8000");
    }
}
