/**
 * A Confluent Schema Registry REST client of our own, and an exporter that reads a whole registry
 * into a snapshot for backup.
 */
package io.kafkadr.registry;
