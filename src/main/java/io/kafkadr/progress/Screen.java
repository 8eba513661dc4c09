package io.kafkadr.progress;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * A terminal whose bottom lines hold the live display's frame, redrawn in place (cursor up, erase
 * line, the new text), and the stream ({@link #above}) through which everything else written to
 * that terminal passes: it erases the frame, writes the text where the frame was and, once the
 * text ends a line and is flushed, draws the frame again below it. So log lines scroll by above the
 * display, all of them, and never tear it.
 */
final class Screen {

	private static final String CSI = "\u001b[";

	private final PrintStream terminal;

	private final Object lock = new Object();

	private List<String> frame = List.of();

	/** Lines of the frame on the terminal now, the cursor at the start of the line below them; 0 when erased. */
	private int drawn;

	/** The text written above ended inside a line: a frame drawn now would continue that line. */
	private boolean lineOpen;

	private boolean closed;

	Screen(PrintStream terminal) {
		this.terminal = terminal;
	}

	/** Draws this frame over the last one, or keeps it until a line of text written above is complete. */
	void show(List<String> frame) {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.frame = List.copyOf(frame);
			if (!this.lineOpen) {
				draw();
			}
		}
	}

	/** Erases the frame for good: what is written {@link #above} from now on just passes through. */
	void close() {
		synchronized (this.lock) {
			erase();
			this.closed = true;
			this.terminal.flush();
		}
	}

	/** The stream for everything else that goes to the terminal. */
	OutputStream above() {
		return new Above();
	}

	private void draw() {
		// from the first column: the terminal itself may have echoed a key (^C) after the last frame
		StringBuilder text = new StringBuilder("\r");
		if (this.drawn > 0) {
			text.append(CSI).append(this.drawn).append('A');
		}
		// Autowrap off while drawing: a line whose width was misjudged is cut by the terminal rather than wrapped
		// onto a line that the next redraw, climbing back as many lines as it drew, would leave behind.
		text.append(CSI).append("?7l");
		for (String line : this.frame) {
			text.append(CSI).append("2K").append(line).append('\n');
		}
		// whatever a taller frame before left below this one
		text.append(CSI).append('J');
		text.append(CSI).append("?7h");
		this.terminal.print(text);
		this.terminal.flush();
		this.drawn = this.frame.size();
	}

	/**
	 * Erases the frame line by line, and leaves the cursor at its first line. Not with "erase below":
	 * from the top left corner (a frame as tall as a short terminal) that clears the whole screen,
	 * which some terminals (tmux) save to their scrollback, frame and all.
	 */
	private void erase() {
		if (this.drawn > 0) {
			StringBuilder text = new StringBuilder("\r").append(CSI).append(this.drawn).append('A');
			for (int line = 0; line < this.drawn; line++) {
				text.append(CSI).append("2K").append(CSI).append('B');
			}
			this.terminal.print(text.append(CSI).append(this.drawn).append('A'));
			this.drawn = 0;
		}
	}

	/** Text for the terminal: above the frame while one shows. */
	private final class Above extends OutputStream {

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			if (length == 0) {
				return;
			}
			synchronized (Screen.this.lock) {
				erase();
				Screen.this.terminal.write(bytes, offset, length);
				Screen.this.lineOpen = bytes[offset + length - 1] != '\n';
			}
		}

		/** A log line is written, then flushed: the frame comes back below it then, not at the next redraw. */
		@Override
		public void flush() {
			synchronized (Screen.this.lock) {
				if (!Screen.this.closed && !Screen.this.lineOpen && Screen.this.drawn == 0
						&& !Screen.this.frame.isEmpty()) {
					draw();
				}
				else {
					Screen.this.terminal.flush();
				}
			}
		}

	}

}
