package io.vipwatch.schemas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void masksPasswordsInJdbcUrls() {
        assertThat(Secrets.maskUrl("jdbc:postgresql://db:5432/vipwatch?user=v&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/vipwatch?user=v&password=****&ssl=true");
        assertThat(Secrets.maskUrl("jdbc:postgresql://db/vipwatch?PASSWORD=x")).isEqualTo("jdbc:postgresql://db/vipwatch?PASSWORD=****");
        assertThat(Secrets.maskUrl("http://admin:hunter2@am:9093/")).isEqualTo("http://admin:****@am:9093/");
        assertThat(Secrets.maskUrl("jdbc:postgresql://localhost:5432/vipwatch?user=postgres"))
                .isEqualTo("jdbc:postgresql://localhost:5432/vipwatch?user=postgres");
    }
}
