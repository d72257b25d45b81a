using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

public abstract partial class StoreSpecification
{
    [SkippableFact]
    public async Task Seqs_are_gapless_under_50_concurrent_appenders_to_one_conversation()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);

        var appenders = Enumerable.Range(0, 50).Select(async appender =>
        {
            var seqs = new List<long>();
            for (var i = 0; i < 10; i++)
            {
                var result = await AppendAsync(conversation, $"m-{appender}-{i}");
                Assert.Equal(AppendOutcome.Appended, result.Outcome);
                seqs.Add(result.Message!.Seq);
            }
            Assert.Equal(seqs.Order(), seqs);
            return seqs;
        });
        var all = (await Task.WhenAll(appenders).Within()).SelectMany(s => s).ToList();

        AssertGapless(all, 500);
        var stored = await Conversations.ReadAfterAsync(conversation.Id, 0, 1000, None).Within();
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(500, (await Conversations.GetConversationAsync(conversation.Id, None).Within())!.LastSeq);
    }

    [SkippableFact]
    public async Task Seqs_are_gapless_per_conversation_when_appenders_write_across_conversations()
    {
        var world = await BootstrapAsync();
        var conversations = new List<Conversation>();
        for (var i = 0; i < 5; i++)
        {
            conversations.Add(await NewConversationAsync(world));
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(async appender =>
        {
            var mine = new List<AppendResult>();
            for (var i = 0; i < 10; i++)
            {
                mine.Add(await AppendAsync(conversations[(appender + i) % conversations.Count], $"x-{appender}-{i}"));
            }
            return mine;
        })).Within();

        foreach (var group in results.SelectMany(r => r).GroupBy(r => r.Message!.ConversationId))
        {
            AssertGapless(group.Select(r => r.Message!.Seq), 100);
        }
        foreach (var conversation in conversations)
        {
            var stored = await Conversations.ReadAfterAsync(conversation.Id, 0, 1000, None).Within();
            AssertGapless(stored.Select(m => m.Seq), 100);
        }
    }

    [SkippableFact]
    public async Task A_repeated_client_msg_id_returns_the_original_message_and_stores_one_row()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var original = await AppendAsync(conversation, "same");

        var repeat = await AppendAsync(conversation, "same");

        Assert.Equal(AppendOutcome.Duplicate, repeat.Outcome);
        Assert.Equal(original.Message, repeat.Message);
        var stored = await Conversations.ReadAfterAsync(conversation.Id, 0, 100, None).Within();
        Assert.Equal(original.Message, Assert.Single(stored));
    }

    [SkippableFact]
    public async Task A_duplicate_does_not_use_up_a_seq()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        await AppendAsync(conversation, "one");
        await AppendAsync(conversation, "one");

        var next = await AppendAsync(conversation, "two");

        Assert.Equal(2, next.Message!.Seq);
    }

    [SkippableFact]
    public async Task Duplicates_in_the_same_batch_as_the_original_return_the_original()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        // Hold the commit path so the sends below queue up and commit together.
        var held = Observer.HoldNext();
        var first = AppendAsync(conversation, "warm-up");
        await held.Within();

        var sends = Enumerable.Range(0, 20).Select(_ => AppendAsync(conversation, "twin")).ToList();
        var after = AppendAsync(conversation, "after");
        Observer.Release();
        var results = await Task.WhenAll(sends).Within();
        await first;

        var appended = Assert.Single(results, r => r.Outcome == AppendOutcome.Appended);
        Assert.All(results.Where(r => r.Outcome != AppendOutcome.Appended), r =>
        {
            Assert.Equal(AppendOutcome.Duplicate, r.Outcome);
            Assert.Equal(appended.Message, r.Message);
        });
        Assert.Equal(2, appended.Message!.Seq);
        Assert.Equal(3, (await after).Message!.Seq);
        Assert.Equal(3, (await Conversations.ReadAfterAsync(conversation.Id, 0, 100, None).Within()).Count);
    }

    [SkippableFact]
    public async Task A_client_msg_id_is_unique_per_sender_not_per_conversation()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);

        var byVisitor = await AppendAsync(conversation, "k");
        var byAgent = await AppendAsync(conversation, "k", senderId: world.Admin.Id);

        Assert.Equal(AppendOutcome.Appended, byVisitor.Outcome);
        Assert.Equal(AppendOutcome.Appended, byAgent.Outcome);
        Assert.Equal(2, byAgent.Message!.Seq);
    }

    [SkippableFact]
    public async Task Appending_to_a_missing_conversation_is_not_found()
    {
        await BootstrapAsync();

        var result = await Conversations.AppendAsync(
            new NewMessage("c_missing", "visitor", "v_missing", null, "m1", "text", "hi", null, null), None).Within();

        Assert.Equal(AppendOutcome.NotFound, result.Outcome);
        Assert.Null(result.Message);
    }

    [SkippableFact]
    public async Task Appending_to_a_closed_conversation_is_refused_but_a_retry_of_an_earlier_send_gets_its_original()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var original = await AppendAsync(conversation, "before-close");
        await Conversations.CloseAsync(conversation.Id, conversation.VisitorId, "visitor", null, None).Within();

        var fresh = await AppendAsync(conversation, "after-close");
        var retry = await AppendAsync(conversation, "before-close");

        Assert.Equal(AppendOutcome.Closed, fresh.Outcome);
        Assert.Equal(AppendOutcome.Duplicate, retry.Outcome);
        Assert.Equal(original.Message, retry.Message);
    }

    [SkippableFact]
    public async Task A_failing_write_does_not_fail_the_other_writes_of_its_batch()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var held = Observer.HoldNext();
        var first = AppendAsync(conversation, "warm-up");
        await held.Within();

        var before = Enumerable.Range(0, 10).Select(i => AppendAsync(conversation, $"before-{i}")).ToList();
        // A conversation for a visitor that does not exist breaks a constraint.
        var bad = Conversations.StartConversationAsync(
            new StartConversation(world.Tenant.Id, world.Site.Id, "v_nobody", world.Team.Id, null), None);
        var after = Enumerable.Range(0, 10).Select(i => AppendAsync(conversation, $"after-{i}")).ToList();
        Observer.Release();

        await Assert.ThrowsAnyAsync<Exception>(() => bad.Within());
        var results = await Task.WhenAll(before.Concat(after)).Within();
        await first;
        Assert.All(results, r => Assert.Equal(AppendOutcome.Appended, r.Outcome));
        var stored = await Conversations.ReadAfterAsync(conversation.Id, 0, 100, None).Within();
        AssertGapless(stored.Select(m => m.Seq), 21);
        Assert.Empty(await Conversations.ListForVisitorAsync("v_nobody", 10, None).Within());
    }

    [SkippableFact]
    public async Task An_acknowledged_append_is_readable_from_another_store_instance()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var other = Open(new RecordingObserver());

        var checks = Enumerable.Range(0, 30).Select(async i =>
        {
            var result = await AppendAsync(conversation, $"durable-{i}");
            var seen = await other.Conversations.ReadAfterAsync(conversation.Id, result.Message!.Seq - 1, 1, None).Within();
            Assert.Equal(result.Message, Assert.Single(seen));
        });

        await Task.WhenAll(checks).Within();
    }

    [SkippableFact]
    public async Task The_observer_hears_of_an_append_before_the_append_completes_and_never_of_a_duplicate()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);

        var result = await AppendAsync(conversation, "seen");
        var appended = Assert.IsType<MessageAppended>(Observer.Changes[^1]);
        await AppendAsync(conversation, "seen");

        Assert.Equal(result.Message, appended.Message);
        Assert.Equal(1, appended.Conversation.LastSeq);
        Assert.Single(Observer.Changes.OfType<MessageAppended>());
    }

    [SkippableFact]
    public async Task The_observer_sees_each_conversations_changes_in_commit_order()
    {
        var world = await BootstrapAsync();
        var conversations = new List<Conversation>();
        for (var i = 0; i < 3; i++)
        {
            conversations.Add(await NewConversationAsync(world));
        }

        await Task.WhenAll(Enumerable.Range(0, 30).Select(async appender =>
        {
            for (var i = 0; i < 10; i++)
            {
                await AppendAsync(conversations[(appender + i) % 3], $"o-{appender}-{i}");
            }
        })).Within();

        foreach (var conversation in conversations)
        {
            var appended = Observer.Changes.OfType<MessageAppended>().Where(c => c.Conversation.Id == conversation.Id).ToList();
            Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), appended.Select(c => c.Message.Seq));
            Assert.All(appended, c => Assert.Equal(c.Message.Seq, c.Conversation.LastSeq));
        }
    }

    [SkippableFact]
    public async Task Each_append_of_a_batch_gets_its_own_outcome_in_queue_order_around_other_writes()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var other = await NewConversationAsync(world);
        var held = Observer.HoldNext();
        var first = AppendAsync(conversation, "warm-up");
        await held.Within();

        var one = AppendAsync(conversation, "one");
        var elsewhere = AppendAsync(other, "elsewhere");
        var missing = Conversations.AppendAsync(new NewMessage("c_missing", "visitor", "v_missing", null, "m1", "text", "hi", null, null), None);
        var close = Conversations.CloseAsync(conversation.Id, conversation.VisitorId, "visitor", null, None);
        var late = AppendAsync(conversation, "late");
        var retry = AppendAsync(conversation, "one");
        var twice = AppendAsync(other, "elsewhere");
        Observer.Release();
        await first;

        Assert.Equal((AppendOutcome.Appended, 2L), ((await one).Outcome, (await one).Message!.Seq));
        Assert.Equal((AppendOutcome.Appended, 1L), ((await elsewhere).Outcome, (await elsewhere).Message!.Seq));
        Assert.Equal(AppendOutcome.NotFound, (await missing.Within()).Outcome);
        Assert.Equal(CloseOutcome.Closed, (await close.Within()).Outcome);
        Assert.Equal(AppendOutcome.Closed, (await late).Outcome);
        Assert.Equal((AppendOutcome.Duplicate, (await one).Message), ((await retry).Outcome, (await retry).Message));
        Assert.Equal((AppendOutcome.Duplicate, (await elsewhere).Message), ((await twice).Outcome, (await twice).Message));
        var stored = await Conversations.ReadAfterAsync(conversation.Id, 0, 100, None).Within();
        Assert.Equal(["warm-up", "one", null], stored.Select(m => m.ClientMsgId));
        Assert.Equal(3, (await Conversations.GetConversationAsync(conversation.Id, None).Within())!.LastSeq);
    }

    [SkippableFact]
    public async Task A_guarded_append_is_checked_against_the_conversation_inside_the_write()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        await Conversations.TryAssignAsync(conversation.Id, [new("a_assigned", "Assigned", 3)], None).Within();
        var tenant = world.Tenant.Id;

        var assigned = await GuardedAsync(conversation, "a_assigned", new AppendGuard(tenant, "a_assigned", null, IsAgent: true, IsAdmin: false));
        var other = await GuardedAsync(conversation, "a_other", new AppendGuard(tenant, "a_other", null, IsAgent: true, IsAdmin: false));
        var admin = await GuardedAsync(conversation, "a_admin", new AppendGuard(tenant, "a_admin", null, IsAgent: true, IsAdmin: true));
        var foreignTenant = await GuardedAsync(conversation, "a_foreign", new AppendGuard("t_elsewhere", "a_foreign", null, IsAgent: true, IsAdmin: true));
        var owner = await GuardedAsync(conversation, conversation.VisitorId, new AppendGuard(tenant, conversation.VisitorId, world.Site.Id, IsAgent: false, IsAdmin: false));
        var strangerVisitor = await GuardedAsync(conversation, "v_stranger", new AppendGuard(tenant, "v_stranger", world.Site.Id, IsAgent: false, IsAdmin: false));

        Assert.Equal(AppendOutcome.Appended, assigned.Outcome);
        Assert.Equal(AppendOutcome.Forbidden, other.Outcome);
        Assert.Equal(AppendOutcome.Appended, admin.Outcome);
        Assert.Equal(AppendOutcome.NotFound, foreignTenant.Outcome);
        Assert.Equal(AppendOutcome.Appended, owner.Outcome);
        Assert.Equal(AppendOutcome.NotFound, strangerVisitor.Outcome);
        Assert.Null(other.Message);
        var stored = await Conversations.ReadAfterAsync(conversation.Id, 0, 100, None).Within();
        Assert.Equal(["a_assigned", "a_admin", conversation.VisitorId], stored.Where(m => m.ClientMsgId is not null).Select(m => m.SenderId));
    }

    [SkippableFact]
    public async Task A_retry_after_the_sender_lost_the_conversation_still_gets_its_original_ack()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        await Conversations.TryAssignAsync(conversation.Id, [new("a_first", "First", 3)], None).Within();
        var guard = new AppendGuard(world.Tenant.Id, "a_first", null, IsAgent: true, IsAdmin: false);
        var original = await GuardedAsync(conversation, "a_first", guard);
        await Conversations.TransferAsync(conversation.Id, new AgentCandidate("a_second", "Second", 3), new RoutingActor("a_first", SenderTypes.Agent, "First", null), None).Within();

        var retry = await GuardedAsync(conversation, "a_first", guard);
        var fresh = await Conversations.AppendAsync(Text(conversation, "after-transfer", "a_first") with { Guard = guard }, None).Within();

        Assert.Equal(AppendOutcome.Duplicate, retry.Outcome);
        Assert.Equal(original.Message, retry.Message);
        Assert.Equal(AppendOutcome.Forbidden, fresh.Outcome);
    }

    private Task<AppendResult> GuardedAsync(Conversation conversation, string senderId, AppendGuard guard) =>
        Conversations.AppendAsync(Text(conversation, "guarded-" + senderId, senderId) with { Guard = guard }, None).Within();
}
