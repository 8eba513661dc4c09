package io.kafkadr.progress;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the live display sends the terminal: frames redrawn in place, text written meanwhile (log
 * lines) above the frame and never inside it, and nothing of the display once it is closed.
 */
class ScreenTest {

	private static final String ESC = "\u001b[";

	private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();

	private final Screen screen = new Screen(new PrintStream(this.terminal, true, StandardCharsets.UTF_8));

	private final PrintStream err = new PrintStream(this.screen.above(), true, StandardCharsets.UTF_8);

	@Test
	void aFrameIsRedrawnInPlaceLineByLineAndWhatATallerOneLeftIsErased() {
		this.screen.show(List.of("total", "  partition 1"));
		assertThat(sent()).isEqualTo("\r" + ESC + "?7l" + ESC + "2Ktotal\n" + ESC + "2K  partition 1\n" + ESC + "J" + ESC
				+ "?7h");
		this.screen.show(List.of("total'"));
		assertThat(sent()).isEqualTo("\r" + ESC + "2A" + ESC + "?7l" + ESC + "2Ktotal'\n" + ESC + "J" + ESC + "?7h");
	}

	@Test
	void aLogLineIsWrittenWhereTheFrameWasAndTheFrameDrawnAgainBelowIt() {
		this.screen.show(List.of("total", "  partition 1"));
		sent();
		this.err.println("12:00:00.000 INFO  a log line");
		assertThat(sent()).isEqualTo(erase(2) + "12:00:00.000 INFO  a log line\n\r" + ESC + "?7l" + ESC + "2Ktotal\n"
				+ ESC + "2K  partition 1\n" + ESC + "J" + ESC + "?7h");
	}

	@Test
	void aLineWrittenInPartsIsNotInterruptedByAFrame() {
		this.screen.show(List.of("total"));
		sent();
		this.err.print("half a line");
		this.screen.show(List.of("total'"));
		assertThat(sent()).isEqualTo(erase(1) + "half a line");
		this.err.println(", and its end");
		// the frame kept for later comes now, below the line, with nothing to climb back over
		assertThat(sent()).isEqualTo(", and its end\n\r" + ESC + "?7l" + ESC + "2Ktotal'\n" + ESC + "J" + ESC + "?7h");
	}

	@Test
	void closedItErasesTheFrameAndLetsTextThroughUntouched() {
		this.screen.show(List.of("total", "  partition 1"));
		sent();
		this.screen.close();
		assertThat(sent()).isEqualTo(erase(2));
		this.screen.show(List.of("a frame too late"));
		this.err.println("backup COMPLETED");
		assertThat(sent()).isEqualTo("backup COMPLETED\n");
	}

	/** From the first column up to the frame's first line, each of its lines erased, and back up there. */
	private static String erase(int lines) {
		return "\r" + ESC + lines + "A" + (ESC + "2K" + ESC + "B").repeat(lines) + ESC + lines + "A";
	}

	/** What the terminal got since the last call. */
	private String sent() {
		String sent = this.terminal.toString(StandardCharsets.UTF_8);
		this.terminal.reset();
		return sent;
	}

}
