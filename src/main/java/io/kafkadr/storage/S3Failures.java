package io.kafkadr.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What S3's failures mean for a location, in words a user can act on: a missing bucket, refused
 * credentials, the wrong region, a skewed clock, an unreachable server. Never holds a credential.
 */
final class S3Failures {

	/** Where credentials come from, for the messages of failures they may cause. */
	static final String CREDENTIAL_SOURCES = "kafka-dr takes AWS credentials only from the AWS SDK's default"
			+ " chain: the environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), a web identity token"
			+ " (AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE, as EKS IRSA sets them), the AWS profile (AWS_PROFILE,"
			+ " ~/.aws/credentials and ~/.aws/config), or the container or EC2 instance role.";

	private final S3Location location;

	private final URI endpoint;

	private final Region region;

	S3Failures(S3Location location, URI endpoint, Region region) {
		this.location = location;
		this.endpoint = endpoint;
		this.region = region;
	}

	/** The exception of a failed check: what is wrong and how to fix it, or an outage to retry. */
	StorageException checkFailed(SdkException ex) {
		String problem = problem(ex);
		String unreachable = unreachable(ex);
		if (problem == null && unreachable != null) {
			return new StorageUnreachableException(unreachable, ex);
		}
		if (problem == null) {
			problem = unsupportedChecksums(ex);
		}
		if (problem == null) {
			problem = "S3 at " + where() + " refused kafka-dr's requests to " + this.location + " (" + reason(ex)
					+ ").";
		}
		return new StorageException(problem, ex);
	}

	/**
	 * A failure to do {@code action} with the object {@code described}: a {@link StorageException} when the location or the
	 * credentials are wrong (the message says how to fix them), else an {@link UncheckedIOException}.
	 */
	RuntimeException failure(String action, String described, SdkException ex) {
		String problem = problem(ex);
		if (problem != null) {
			return new StorageException(problem + " (Trying to " + action + " " + described + ".)", ex);
		}
		String unreachable = unreachable(ex);
		return new UncheckedIOException("Cannot " + action + " " + described + ": "
				+ ((unreachable != null) ? unreachable : reason(ex)), new IOException(ex.getMessage(), ex));
	}

	/**
	 * What is wrong with the location or the credentials, and how to fix it, when S3's answer says:
	 * {@code null} for any other failure.
	 */
	String problem(SdkException ex) {
		if (!(ex instanceof S3Exception s3)) {
			return null;
		}
		String code = code(s3);
		if (s3 instanceof NoSuchBucketException || "NoSuchBucket".equals(code)) {
			return "The S3 bucket " + this.location.bucket() + " does not exist at " + where() + ". Create it, or"
					+ " correct the storage location " + this.location + ".";
		}
		if ("RequestTimeTooSkewed".equals(code)) {
			return "S3 at " + where() + " refused kafka-dr's requests because this machine's clock is too far from"
					+ " the server's (RequestTimeTooSkewed), even after the AWS SDK's own correction. Correct the"
					+ " clock: enable time synchronisation (NTP, such as chrony or systemd-timesyncd: timedatectl"
					+ " set-ntp true).";
		}
		if ("PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)
				|| s3.statusCode() == 301) {
			String actual = (s3.awsErrorDetails() == null || s3.awsErrorDetails().sdkHttpResponse() == null) ? null
					: s3.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse(null);
			return "The S3 bucket " + this.location.bucket() + " is not in " + this.region
					+ ((actual != null) ? " but in " + actual : "") + " (" + reason(s3)
					+ "). Give kafka-dr the bucket's region (or set AWS_REGION).";
		}
		if (denied(s3)) {
			String what = switch (String.valueOf(code)) {
				case "InvalidAccessKeyId" -> "the server knows no such access key id";
				case "SignatureDoesNotMatch" -> "the secret access key is not the access key id's";
				case "ExpiredToken" -> "the credentials' session token has expired";
				default -> "the credentials may not do this";
			};
			return "S3 at " + where() + " denied access to " + this.location + ": " + what + " (" + reason(s3) + "). "
					+ CREDENTIAL_SOURCES + " Check that the credentials it finds are the intended ones, and that"
					+ " they may list, read, write and delete objects under the location and list and abort its"
					+ " multipart uploads (s3:ListBucket, s3:GetObject, s3:PutObject, s3:DeleteObject,"
					+ " s3:ListBucketMultipartUploads, s3:ListMultipartUploadParts, s3:AbortMultipartUpload).";
		}
		return null;
	}

	private static boolean denied(SdkException ex) {
		return ex instanceof S3Exception s3 && (s3.statusCode() == 403 || "InvalidAccessKeyId".equals(code(s3))
				|| "SignatureDoesNotMatch".equals(code(s3)) || "ExpiredToken".equals(code(s3)))
				&& !"RequestTimeTooSkewed".equals(code(s3));
	}

	/** The message for a failure to connect at all; {@code null} for another failure. */
	String unreachable(SdkException ex) {
		if (!(ex instanceof SdkClientException)) {
			return null;
		}
		for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException) {
				String fix = (this.endpoint != null)
						? "Check the endpoint (its scheme, host and port) and that this machine can connect to it."
						: "Check that this machine can connect to AWS S3 (DNS, firewall, proxy, VPC endpoint).";
				return "Cannot reach S3 at " + where() + " (" + cause.getMessage() + "). " + fix;
			}
		}
		return null;
	}

	/**
	 * The message for an S3-compatible server that refuses the integrity checksums the AWS SDK adds to
	 * uploads since version 2.30 (January 2025); {@code null} for another failure.
	 */
	String unsupportedChecksums(SdkException ex) {
		if (this.endpoint == null || !(ex instanceof S3Exception s3)) {
			return null;
		}
		String code = code(s3);
		if ("XAmzContentSHA256Mismatch".equals(code) || "NotImplemented".equals(code)
				|| ("InvalidArgument".equals(code) && String.valueOf(s3.getMessage()).contains("checksum"))) {
			return "The S3 server at " + this.endpoint + " refused kafka-dr's probe object (" + reason(s3) + "), as"
					+ " servers do that predate the integrity checksums AWS SDKs send by default since early 2025."
					+ " Set AWS_REQUEST_CHECKSUM_CALCULATION=when_required and"
					+ " AWS_RESPONSE_CHECKSUM_VALIDATION=when_required in kafka-dr's environment, or upgrade the"
					+ " server.";
		}
		return null;
	}

	private static String code(S3Exception ex) {
		return (ex.awsErrorDetails() != null) ? ex.awsErrorDetails().errorCode() : null;
	}

	/** S3's own words for a failure: its error code and message, which hold no credential. */
	static String reason(SdkException ex) {
		if (ex instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
			String code = s3.awsErrorDetails().errorCode();
			String message = s3.awsErrorDetails().errorMessage();
			return ((code != null) ? code : "HTTP " + s3.statusCode())
					+ ((message != null && !message.isBlank()) ? ": " + message : "");
		}
		return ex.getMessage();
	}

	/** The server, for messages: the endpoint, or AWS S3 and the region. */
	String where() {
		return (this.endpoint != null) ? this.endpoint.toString() : "AWS S3 in " + this.region;
	}

}
