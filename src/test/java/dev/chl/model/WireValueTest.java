package dev.chl.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chl.common.NotFoundException;
import dev.chl.common.ValidationException;
import org.junit.jupiter.api.Test;

class WireValueTest {
    @Test
    void parsesWireNamesAndListsTheAllowedOnesOtherwise() {
        assertThat(Section.fromWire("section", "harmful")).isEqualTo(Section.HARMFUL);
        assertThat(SyncStatus.fromWire("sync_status", "local_only")).isEqualTo(SyncStatus.LOCAL_ONLY);
        assertThat(Channel.fromWire("source", "mcp")).isEqualTo(Channel.MCP);
        assertThatThrownBy(() -> Section.fromWire("section", "HARMFUL"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("useful, harmful, contextual");
    }

    @Test
    void kindsKnowTheirPluralsAndIdPrefixes() {
        assertThat(Kind.fromPlural("experiences")).isEqualTo(Kind.EXPERIENCE);
        assertThat(Kind.fromPlural("manuals")).isEqualTo(Kind.MANUAL);
        assertThatThrownBy(() -> Kind.fromPlural("widgets")).isInstanceOf(NotFoundException.class);
        assertThat(Kind.ofId("EXP-ARC-20260101-000000000")).isEqualTo(Kind.EXPERIENCE);
        assertThat(Kind.ofId("MNL-GLN-20260101-000000001")).isEqualTo(Kind.MANUAL);
        assertThat(Kind.ofId("EXPARC")).isNull();
        assertThat(Kind.ofId(null)).isNull();
    }
}
