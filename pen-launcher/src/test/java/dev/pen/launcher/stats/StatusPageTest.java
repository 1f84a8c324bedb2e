package dev.pen.launcher.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pen.api.Address;
import dev.pen.api.Backend;
import dev.pen.api.BalancerConfig;
import dev.pen.launcher.control.PendingActions;
import org.junit.jupiter.api.Test;

class StatusPageTest {

    @Test
    void aServersUnixSocketPathIsTextOnTheWebPageNotMarkup() {
        BalancerConfig config = BalancerConfig.builder().listen("0")
                .backend(0, Backend.of(Address.unix("/run/<script>alert(1)</script>&\"'.sock")))
                .backend(1, Backend.of("127.0.0.1", 8080)).build();
        String page = StatusPage.html(config, new PendingActions(() -> config), 0);
        assertThat(page).doesNotContain("<script>")
                .contains("<td>/run/&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;.sock</td>")
                .contains("<td>127.0.0.1</td>").contains("<td>8080</td>");
    }

    @Test
    void textWithoutMarkupIsLeftAsItIs() {
        String plain = "127.0.0.1";
        assertThat(Html.escape(plain)).isSameAs(plain);
        assertThat(Html.escape("a<b")).isEqualTo("a&lt;b");
        assertThat(Html.escape("")).isEmpty();
    }
}
