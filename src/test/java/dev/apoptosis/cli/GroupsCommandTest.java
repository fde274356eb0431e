package dev.apoptosis.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** groups: text and JSON lines for a zoo model; a clear error for a name that is neither file nor model. */
class GroupsCommandTest {
    @Test
    void listsEveryGroupWithItsMembersAndWhyNot() throws Exception {
        var text = TrainCommandTest.run("groups", "resnet20", "--input", "3,8,8");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("14 groups (12 prunable)"), text.out());
        assertTrue(text.out().contains("unprunable: model input 'input'"), text.out());
        assertTrue(text.out().contains("unprunable: model output 'fc'"), text.out());

        var json = TrainCommandTest.run("groups", "vit", "--width", "128", "--input", "3,8,8", "--json");
        assertEquals(0, json.code(), json.err());
        ObjectMapper om = new ObjectMapper();
        int heads = 0;
        for (String line : json.out().strip().split("\n")) {
            JsonNode n = om.readTree(line);
            for (String f : new String[] {"id", "channels", "members", "prunable", "reason"}) assertTrue(n.has(f), f + " missing: " + line);
            if (n.get("kind").asText().equals("blocks")) {
                heads++;
                assertEquals(2, n.get("channels").asInt(), "2 heads of width 64");
            }
        }
        assertEquals(6, heads, "one heads group per block");

        var bad = TrainCommandTest.run("groups", "resnet21");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("neither a file nor a zoo model"), bad.err());
    }
}
