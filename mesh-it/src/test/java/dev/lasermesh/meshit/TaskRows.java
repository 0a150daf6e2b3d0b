package dev.lasermesh.meshit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the gateway's job store holds about a job's tasks (table {@code tasks}, one row per task id),
 * read straight from PostgreSQL: the ground truth of "each task counted once".
 *
 * @param rows      task rows of the type
 * @param distinct  distinct task ids among them
 * @param done      rows in status DONE
 * @param attempts  sends of the tasks in all (a resend after a retryable failure counts)
 */
record TaskRows(int rows, int distinct, int done, int attempts) {

    /** The rows of {@code jobId}'s tasks, by type ({@code ANALYSIS}, {@code REDUCTION}, {@code EVALUATION}). */
    static Map<String, TaskRows> ofJob(Mesh mesh, String jobId) {
        String sql = "select type, count(*), count(distinct task_id), count(*) filter (where status = 'DONE'), "
                + "sum(attempts) from tasks where job_id = ? group by type order by type";
        Map<String, TaskRows> byType = new LinkedHashMap<>();
        try (Connection db = mesh.database(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, jobId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    byType.put(rs.getString(1), new TaskRows(rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the tasks of job " + jobId + ": " + e.getMessage(), e);
        }
        return byType;
    }

    /** Rows in each of the job store's tables, to show that a refused request left nothing behind. */
    static Map<String, Long> tableSizes(Mesh mesh) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (Connection db = mesh.database()) {
            for (String table : new String[] {"jobs", "matrices", "tasks", "evaluations", "outbox"}) {
                try (PreparedStatement query = db.prepareStatement("select count(*) from " + table);
                     ResultSet rs = query.executeQuery()) {
                    rs.next();
                    sizes.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the job store's rows: " + e.getMessage(), e);
        }
        return sizes;
    }
}
