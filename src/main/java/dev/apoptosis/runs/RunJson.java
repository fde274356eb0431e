package dev.apoptosis.runs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson mapper for run records. Strict on reading, since a record that silently lost a
 * field would draw a wrong chart: unknown fields, missing fields and nulls for numbers are errors
 * (a new field means a new {@link RunDirectory#FORMAT}). NaN (an accuracy not measured) is written
 * as the string {@code "NaN"}, which JSON can carry and Jackson reads back.
 */
final class RunJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RunJson() {}
}
