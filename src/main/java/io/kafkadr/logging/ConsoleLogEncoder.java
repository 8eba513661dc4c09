package io.kafkadr.logging;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The encoder of {@code logback.xml}'s console appender: the human {@code pattern}, or Spring Boot's
 * structured (JSON) format when {@code logging.structured.format.console} is set ({@code ecs},
 * {@code logstash}, {@code gelf}).
 *
 * <p>Logback reads {@code logback.xml} twice: on the first log call, before any Spring context
 * exists (the demo logs its broker's start then), and again when Spring Boot starts, with the
 * application's {@link Environment} in the logger context. Boot's own structured console appender
 * writes to standard output, which carries the commands' results, so this encoder gives the
 * standard-error appender Boot's format instead. The property is read from that Environment, not
 * from the system property Boot copies it to, which would outlive its context in a JVM that runs
 * several commands.
 */
public final class ConsoleLogEncoder extends EncoderBase<ILoggingEvent> {

	static final String FORMAT_PROPERTY = "logging.structured.format.console";

	private String pattern;

	private Encoder<ILoggingEvent> delegate;

	public void setPattern(String pattern) {
		this.pattern = pattern;
	}

	@Override
	public void start() {
		Environment environment = (Environment) getContext().getObject(Environment.class.getName());
		String format = (environment != null) ? environment.getProperty(FORMAT_PROPERTY) : null;
		Charset charset = StandardCharsets.UTF_8;
		if (StringUtils.hasText(format)) {
			StructuredLogEncoder structured = new StructuredLogEncoder();
			structured.setFormat(format);
			structured.setCharset(charset);
			this.delegate = structured;
		}
		else {
			PatternLayoutEncoder human = new PatternLayoutEncoder();
			human.setPattern(this.pattern);
			human.setCharset(charset);
			this.delegate = human;
		}
		this.delegate.setContext(getContext());
		this.delegate.start();
		super.start();
	}

	@Override
	public void stop() {
		if (this.delegate != null) {
			this.delegate.stop();
		}
		super.stop();
	}

	@Override
	public byte[] headerBytes() {
		return this.delegate.headerBytes();
	}

	@Override
	public byte[] encode(ILoggingEvent event) {
		return this.delegate.encode(event);
	}

	@Override
	public byte[] footerBytes() {
		return this.delegate.footerBytes();
	}

}
