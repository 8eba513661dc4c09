package io.kafkadr.registry;

/** A schema's reference to a type defined by another subject's version, as in {@code "references"}. */
public record SchemaReference(String name, String subject, int version) {

}
