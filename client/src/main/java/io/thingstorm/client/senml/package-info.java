/**
 * SenML, the Sensor Measurement Lists of RFC 8428: packs of records in {@code application/senml+json}
 * and {@code application/senml+cbor}.
 *
 * <pre>{@code
 * SenmlPack pack = SenmlPack.of(
 *     SenmlRecord.builder().baseName("urn:dev:ow:10e2073a01080063:").name("temp").unit("Cel").value(23.1).build(),
 *     SenmlRecord.builder().name("open").value(false).build());
 * byte[] cbor = SenmlCbor.encode(pack);
 * SenmlPack back = SenmlFormat.detect(cbor).decode(cbor);
 * List<ResolvedRecord> readings = back.resolve(Clock.systemUTC());
 * }</pre>
 *
 * <p>A {@link io.thingstorm.client.senml.SenmlPack} is valid by construction: decoding and building
 * both check the rules of RFC 8428 and throw {@link io.thingstorm.client.senml.SenmlException}, whose
 * one-line message names the record and the problem.
 */
package io.thingstorm.client.senml;
