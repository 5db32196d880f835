package io.vipwatch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.vipwatch.schemas.Topics;
import io.vipwatch.schemas.avro.AlertKind;
import io.vipwatch.schemas.avro.AlertState;
import io.vipwatch.testkit.KafkaTestCluster;
import io.vipwatch.testkit.Poll;
import io.vipwatch.testkit.TestDatabase;
import io.vipwatch.testkit.WithKafka;
import io.vipwatch.testkit.WithPostgres;

/**
 * The web page in a real headless Chromium (Debian's chromium + chromium-driver), over a history written
 * by the sink from the demo's scenario. Skipped with a message where Chromium is not installed.
 */
@WithKafka
@WithPostgres
class VipPageIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final ConflictScenario SCENARIO = new ConflictScenario("prod-eu-1", Instant.parse("2026-11-01T03:12:00Z"));
    private static final String HOSTILE_CLUSTER = "<img src=x onerror=\"window.__xss=1\">";
    private static final String HOSTILE_HINT = "<script>window.__xss=2</script> kube-vip";
    private static final String WIRE_CLUSTER = "wire-eu-1";
    private static final String UNKNOWN_MAC = "02:00:00:00:00:99";

    private static HistoryApi api;
    private WebDriver browser;

    @BeforeAll
    static void seed(final KafkaTestCluster kafka, final TestDatabase db) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed: apt-get install -y chromium chromium-driver (skipping the browser test)");
        Migrations.migrate(db.dataSource());
        final Topics topics = StoreTesting.createTopics(kafka);
        try (HistoryWriter sink = HistoryWriter.start(StoreTesting.sinkSettings(kafka, topics, db.dataSource()))) {
            SCENARIO.send(kafka, topics);
            // a cluster whose name and alert hint are HTML: the page must show them as text
            final ConflictScenario hostile = new ConflictScenario(HOSTILE_CLUSTER, SCENARIO.start());
            StoreTesting.sendChanges(kafka, topics, List.of(Fixtures.change(HOSTILE_CLUSTER, ConflictScenario.VIP,
                    hostile.at(5), List.of(), List.of("<b>node</b>"), "<i>ns</i>/web")));
            StoreTesting.sendAlerts(kafka, topics, List.of(Fixtures.alert(AlertState.OPENED, AlertKind.ORPHANED,
                    HOSTILE_CLUSTER, ConflictScenario.VIP, hostile.at(5), hostile.at(5), List.of("<b>node</b>"),
                    HOSTILE_HINT)));
            // a host outside the cluster answering on the wire next to w1 (issue 14): its MAC is a responder
            StoreTesting.sendChanges(kafka, topics, List.of(Fixtures.change(WIRE_CLUSTER, ConflictScenario.VIP,
                    SCENARIO.at(5), List.of(), List.of("mac/" + UNKNOWN_MAC, "w1"), "default/web")));
            Poll.until("the scenarios stored", Duration.ofSeconds(30), () -> StoreTesting.count(db.dataSource(),
                    "SELECT (SELECT count(*) FROM ownership_changes) + (SELECT count(*) FROM alert_transitions)"),
                    n -> n == ConflictScenario.CHANGES + ConflictScenario.TRANSITIONS + 3);
        }
        api = HistoryApi.start(ApiSettings.of(db.dataSource()).withAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1400,1000");
        final ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1400, 1000));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void showsBothNodesAnsweringDuringTheConflict() throws IOException {
        browser.get(api.uri().resolve("vip.html?cluster=" + SCENARIO.cluster() + "&ip=" + ConflictScenario.VIP).toString());

        final WebElement cp1 = waitFor(By.cssSelector("svg.timeline g.lane[data-node='cp-1']"));
        final WebElement worker1 = browser.findElement(By.cssSelector("svg.timeline g.lane[data-node='worker-1']"));
        final long conflict = SCENARIO.duringConflict().toEpochMilli();
        final long before = SCENARIO.beforeConflict().toEpochMilli();

        assertThat(barsCovering(cp1, conflict)).as("cp-1 answers during the conflict").isEqualTo(1);
        assertThat(barsCovering(worker1, conflict)).as("worker-1 answers during the conflict").isEqualTo(1);
        assertThat(barsCovering(cp1, before)).as("cp-1 did not answer before the conflict").isZero();
        assertThat(barsCovering(worker1, before)).as("worker-1 answered before the conflict").isEqualTo(1);
        final WebElement divergence = browser.findElement(By.cssSelector("svg.timeline rect.alert[data-kind='FOREIGN_BINDING']"));
        assertThat(Long.parseLong(divergence.getAttribute("data-from"))).isEqualTo(SCENARIO.at(35).toEpochMilli());
        assertThat(browser.findElement(By.id("episodes")).getText()).contains("FOREIGN_BINDING").contains("svc_enable");
        screenshot("vip-page.png");
    }

    @Test
    void answersWhoRespondedAtAClickedMoment() {
        browser.get(api.uri().resolve("vip.html?cluster=" + SCENARIO.cluster() + "&ip=" + ConflictScenario.VIP
                + "&from=" + SCENARIO.start() + "&to=" + SCENARIO.at(100)).toString());
        final WebElement chart = waitFor(By.cssSelector("svg.timeline g.lane[data-node='cp-1']"));

        // 40 % across the drawing area is +40 s, inside the conflict
        final WebElement svg = browser.findElement(By.cssSelector("svg.timeline"));
        ((JavascriptExecutor) browser).executeScript("""
                const svg = arguments[0], box = svg.getBoundingClientRect();
                const width = svg.viewBox.baseVal.width, scale = box.width / width;
                const x = box.left + (150 + 0.40 * (width - 150 - 16)) * scale;
                svg.dispatchEvent(new MouseEvent('click', {clientX: x, clientY: box.top + 40, bubbles: true}));
                """, svg);

        assertThat(chart).isNotNull();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(driver ->
                driver.findElement(By.id("answer")).getText().startsWith("At 2026-11-01 03:12:"));
        assertThat(browser.findElement(By.id("answer")).getText()).contains("more than one node answers");
        assertThat(browser.findElement(By.id("answer-nodes")).getText()).isEqualTo("cp-1, worker-1");
    }

    @Test
    void showsHtmlFromAClusterAsTextAndRunsNoneOfIt() throws IOException {
        browser.get(api.uri().toString());
        waitFor(By.cssSelector("#fleet table"));
        waitFor(By.cssSelector("#alerts table"));

        assertThat(browser.findElement(By.id("fleet")).getText()).contains(HOSTILE_CLUSTER);
        assertThat(browser.findElement(By.id("alerts")).getText()).contains(HOSTILE_HINT).contains("<b>node</b>");
        assertThat(browser.findElements(By.cssSelector("#fleet img, #alerts img, #alerts script, #alerts b"))).isEmpty();
        screenshot("fleet-page.png");

        browser.get(api.uri().resolve("vip.html?cluster=" + HistoryApiIT.encode(HOSTILE_CLUSTER) + "&ip="
                + ConflictScenario.VIP + "&from=" + SCENARIO.start() + "&to=" + SCENARIO.at(100)).toString());
        waitFor(By.cssSelector("svg.timeline g.lane"));

        assertThat(browser.findElement(By.cssSelector("svg.timeline g.lane")).getAttribute("data-node")).isEqualTo("<b>node</b>");
        assertThat(browser.findElement(By.id("where")).getText()).contains(HOSTILE_CLUSTER);
        assertThat(browser.findElements(By.cssSelector("main img, main b, header img"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__xss === undefined")).isEqualTo(true);
    }

    @Test
    void showsAMacOfNoNodeAnsweringOnTheWireAsAnUnknownMacLane() {
        browser.get(api.uri().resolve("vip.html?cluster=" + WIRE_CLUSTER + "&ip=" + ConflictScenario.VIP + "&from="
                + SCENARIO.start() + "&to=" + SCENARIO.at(100)).toString());
        final WebElement unknown = waitFor(By.cssSelector("svg.timeline g.lane.unknown-mac"));

        assertThat(unknown.getAttribute("data-node")).isEqualTo("mac/" + UNKNOWN_MAC);
        assertThat(unknown.findElement(By.tagName("text")).getText()).isEqualTo("unknown MAC " + UNKNOWN_MAC);
        assertThat(barsCovering(unknown, SCENARIO.at(50).toEpochMilli())).isEqualTo(1);
        assertThat(browser.findElement(By.cssSelector("svg.timeline g.lane[data-node='w1'] text")).getText())
                .isEqualTo("w1");
    }

    private WebElement waitFor(final By selector) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).until(driver -> {
            final List<WebElement> found = driver.findElements(selector);
            return found.isEmpty() ? null : found.get(0);
        });
    }

    private static long barsCovering(final WebElement lane, final long at) {
        return lane.findElements(By.cssSelector("rect.bar")).stream()
                .filter(bar -> Long.parseLong(bar.getAttribute("data-from")) <= at
                        && at < Long.parseLong(bar.getAttribute("data-to")))
                .count();
    }

    private void screenshot(final String name) throws IOException {
        final File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        final Path target = Path.of("target", "screenshots", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
