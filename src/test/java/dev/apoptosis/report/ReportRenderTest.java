package dev.apoptosis.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.apoptosis.runs.RunFixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a browser shows it: headless Chromium renders a small report to a PNG (through
 * {@code tools/report-screenshot.sh}, the script that makes {@code docs/report.png}), and the image
 * must hold the charts: not blank, and with pixels of each criterion's colour. Skipped, loudly, where
 * Chromium is not installed ({@code apt-get install chromium}).
 */
class ReportRenderTest {
    @TempDir
    Path tmp;

    private static boolean chromiumInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "chromium")) || Files.isExecutable(Path.of(dir, "chromium-browser"))) return true;
        }
        return false;
    }

    @Test
    void chromiumDrawsTheChartsOfASmallReport() throws Exception {
        if (!chromiumInstalled()) {
            String msg = "SKIPPED ReportRenderTest: no chromium on PATH, so the report was not rendered in a browser "
                    + "(apt-get install chromium to run this check)";
            System.err.println("*** " + msg + " ***");
            Assumptions.abort(msg);
        }
        Path html = tmp.resolve("report.html");
        Report.write(Report.read(List.of(RunFixtures.prune(tmp.resolve("oba"), "oba", List.of(0.5), 3, 3),
                RunFixtures.prune(tmp.resolve("magnitude"), "magnitude", List.of(0.5), 3, 3))), html);
        Path png = tmp.resolve("report.png");
        Process p = new ProcessBuilder("bash", Path.of("tools", "report-screenshot.sh").toString(), html.toString(), png.toString(), "900x1200")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "chromium finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        long white = 0, oba = 0, magnitude = 0, all = (long) img.getWidth() * img.getHeight();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0xffffff) white++;
                if (near(rgb, 0x1f6fb4)) oba++;
                if (near(rgb, 0xe07b00)) magnitude++;
            }
        }
        assertTrue(white < all * 0.97, "not blank: " + white + " white pixels of " + all);
        assertTrue(oba > 200 && magnitude > 200, "each criterion's colour drawn: oba " + oba + ", magnitude " + magnitude + " pixels");
    }

    private static boolean near(int rgb, int target) {
        for (int s = 0; s < 24; s += 8) if (Math.abs(((rgb >> s) & 0xff) - ((target >> s) & 0xff)) > 12) return false;
        return true;
    }
}
