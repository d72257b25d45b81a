using Kefu.Core.Storage;
using Npgsql;

namespace Kefu.Adapters.Tests;

/// <summary>How PostgreSQL's appends, stored together in one insert per batch, fail alone.</summary>
public sealed partial class PostgresStoreSpecificationTests
{
    [SkippableFact]
    public async Task A_message_PostgreSQL_cannot_store_fails_alone_and_its_batch_goes_on()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var held = Observer.HoldNext();
        var first = AppendAsync(conversation, "warm-up");
        await held.Within();

        var before = AppendAsync(conversation, "before");
        var bad = Conversations.AppendAsync(Text(conversation, "nul") with { Text = "a\0b" }, None);
        var after = AppendAsync(conversation, "after");
        Observer.Release();
        await first;

        await Assert.ThrowsAsync<ArgumentException>(() => bad.Within());
        Assert.Equal(2, (await before).Message!.Seq);
        Assert.Equal(3, (await after).Message!.Seq);
    }

    [SkippableFact]
    public async Task A_client_id_another_node_stores_meanwhile_in_another_conversation_answers_duplicate_and_the_rest_is_stored()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var elsewhere = await NewConversationAsync(world);
        await using var racer = new NpgsqlConnection(_connectionString);
        await racer.OpenAsync();
        await using var transaction = await racer.BeginTransactionAsync();
        // Another node's open transaction stores the same sender and client id, in a conversation the batch below does not lock.
        await ExecuteAsync(
            racer,
            "INSERT INTO messages (conversation_id, seq, msg_id, client_msg_id, sender_type, sender_id, kind, text, created_at) "
            + "VALUES ($1, 1, 'm_racer', 'race', 'visitor', $2, 'text', 'first', 0);",
            elsewhere.Id,
            conversation.VisitorId);
        var held = Observer.HoldNext();
        var first = AppendAsync(conversation, "warm-up");
        await held.Within();

        var before = AppendAsync(conversation, "before");
        var race = AppendAsync(conversation, "race");
        var after = AppendAsync(conversation, "after");
        Observer.Release();
        await first;
        await WaitUntilAStatementWaitsForALockAsync();
        await transaction.CommitAsync();

        Assert.Equal((AppendOutcome.Duplicate, "m_racer"), ((await race).Outcome, (await race).Message!.MsgId));
        Assert.Equal(2, (await before).Message!.Seq);
        Assert.Equal(3, (await after).Message!.Seq);
        var stored = await Conversations.ReadAfterAsync(conversation.Id, 0, 100, None).Within();
        AssertGapless(stored.Select(m => m.Seq), 3);
    }

    private async Task WaitUntilAStatementWaitsForALockAsync()
    {
        await using var watcher = new NpgsqlConnection(_connectionString);
        await watcher.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock';", watcher);
        var deadline = DateTime.UtcNow + Bounded.Timeout;
        while ((long)(await waiting.ExecuteScalarAsync())! == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "No statement came to wait for the other transaction's lock.");
            await Task.Delay(20);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] args)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }
        await command.ExecuteNonQueryAsync();
    }
}
