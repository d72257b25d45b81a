using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

public abstract partial class StoreSpecification
{
    [SkippableFact]
    public async Task Reading_after_and_before_a_seq_pages_in_ascending_order()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        for (var i = 1; i <= 25; i++)
        {
            await AppendAsync(conversation, $"p-{i}");
        }

        var firstPage = await Conversations.ReadAfterAsync(conversation.Id, 0, 10, None).Within();
        var secondPage = await Conversations.ReadAfterAsync(conversation.Id, 10, 10, None).Within();
        var lastPage = await Conversations.ReadAfterAsync(conversation.Id, 20, 10, None).Within();
        var latest = await Conversations.ReadBeforeAsync(conversation.Id, long.MaxValue, 10, None).Within();
        var earlier = await Conversations.ReadBeforeAsync(conversation.Id, 16, 10, None).Within();
        var earliest = await Conversations.ReadBeforeAsync(conversation.Id, 6, 10, None).Within();

        Assert.Equal(Seqs(1, 10), firstPage.Select(m => m.Seq));
        Assert.Equal(Seqs(11, 20), secondPage.Select(m => m.Seq));
        Assert.Equal(Seqs(21, 25), lastPage.Select(m => m.Seq));
        Assert.Equal(Seqs(16, 25), latest.Select(m => m.Seq));
        Assert.Equal(Seqs(6, 15), earlier.Select(m => m.Seq));
        Assert.Equal(Seqs(1, 5), earliest.Select(m => m.Seq));
        Assert.Empty(await Conversations.ReadAfterAsync(conversation.Id, 25, 10, None).Within());
        Assert.Equal("hello p-1", firstPage[0].Text);
        Assert.Equal("p-1", firstPage[0].ClientMsgId);
    }

    [SkippableFact]
    public async Task A_stored_message_keeps_every_field()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var message = new NewMessage(
            conversation.Id, "agent", world.Admin.Id, "Admin", "f-1", "image", "看这里 👀",
            """{"id":"u1","name":"a.png","size":3}""", """{"width":2}""");

        var appended = await Conversations.AppendAsync(message, None).Within();
        var stored = Assert.Single(await Conversations.ReadAfterAsync(conversation.Id, 0, 10, None).Within());

        Assert.Equal(appended.Message, stored);
        Assert.StartsWith("m_", stored.MsgId, StringComparison.Ordinal);
        Assert.Equal(("agent", world.Admin.Id, "Admin", "image", "看这里 👀"), (stored.SenderType, stored.SenderId, stored.SenderName, stored.Kind, stored.Text));
        Assert.Equal(message.AttachmentJson, stored.AttachmentJson);
        Assert.Equal(message.MetaJson, stored.MetaJson);
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeMilliseconds(), stored.CreatedAt.ToUnixTimeMilliseconds());
    }

    [SkippableFact]
    public async Task Empty_text_is_stored_as_empty_and_a_missing_field_as_missing()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        var message = new NewMessage(conversation.Id, "agent", world.Admin.Id, "", "e-1", "image", "", """{"id":"u2"}""", null);

        await Conversations.AppendAsync(message, None).Within();
        var stored = Assert.Single(await Conversations.ReadAfterAsync(conversation.Id, 0, 10, None).Within());

        Assert.Equal(("", "", null), (stored.SenderName, stored.Text, stored.MetaJson));
    }

    [SkippableFact]
    public async Task Receipts_never_decrease_and_stop_at_the_last_seq()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        for (var i = 0; i < 5; i++)
        {
            await AppendAsync(conversation, $"r-{i}");
        }
        var before = Observer.Changes.Count;

        var advanced = await Conversations.RecordReceiptAsync(conversation.Id, "a_reader", "read", 3, None).Within();
        var lowered = await Conversations.RecordReceiptAsync(conversation.Id, "a_reader", "read", 2, None).Within();
        var beyond = await Conversations.RecordReceiptAsync(conversation.Id, "a_reader", "read", 99, None).Within();
        var again = await Conversations.RecordReceiptAsync(conversation.Id, "a_reader", "read", 99, None).Within();
        var delivered = await Conversations.RecordReceiptAsync(conversation.Id, "a_reader", "delivered", 4, None).Within();

        Assert.Equal(new ReceiptState(0, 3), advanced);
        Assert.Equal(new ReceiptState(0, 3), lowered);
        Assert.Equal(new ReceiptState(0, 5), beyond);
        Assert.Equal(new ReceiptState(0, 5), again);
        Assert.Equal(new ReceiptState(4, 5), delivered);
        var receipts = Observer.Changes.Skip(before).Cast<ReceiptAdvanced>().Select(r => (r.UserId, r.Kind, r.Seq));
        Assert.Equal([("a_reader", "read", 3L), ("a_reader", "read", 5L), ("a_reader", "delivered", 4L)], receipts);
    }

    [SkippableFact]
    public async Task Receipts_report_the_other_side_of_the_conversation()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        for (var i = 0; i < 6; i++)
        {
            await AppendAsync(conversation, $"s-{i}");
        }
        var visitorId = conversation.VisitorId;
        await Conversations.RecordReceiptAsync(conversation.Id, visitorId, "read", 2, None).Within();
        await Conversations.RecordReceiptAsync(conversation.Id, visitorId, "delivered", 4, None).Within();
        await Conversations.RecordReceiptAsync(conversation.Id, "a_one", "read", 5, None).Within();
        await Conversations.RecordReceiptAsync(conversation.Id, "a_two", "read", 3, None).Within();
        await Conversations.RecordReceiptAsync(conversation.Id, "a_two", "delivered", 6, None).Within();

        var forVisitor = await Conversations.GetReceiptsAsync(conversation, visitorId, None).Within();
        var forAgent = await Conversations.GetReceiptsAsync(conversation, "a_one", None).Within();
        var forNewcomer = await Conversations.GetReceiptsAsync(conversation, "a_three", None).Within();

        Assert.Equal(new ConversationReceipts(2, 5, 6), forVisitor);
        Assert.Equal(new ConversationReceipts(5, 2, 4), forAgent);
        Assert.Equal(new ConversationReceipts(0, 2, 4), forNewcomer);
    }

    private static IEnumerable<long> Seqs(long from, long to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            yield return seq;
        }
    }
}
