using Kefu.Core.Ids;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Postgres.Writing;

/// <summary>
/// Returns the visitor's conversation that is not closed on the site, or the one started with the same
/// clientConvId, or starts a queued one (or one served by the bot, with its welcome in the same commit). The visitor's advisory lock makes the check and the insert atomic
/// across nodes; the partial unique indexes are the backstop.
/// </summary>
internal sealed class StartConversationOp(StartConversation request, CancellationToken cancellationToken)
    : WriteOp<ConversationStart>(cancellationToken)
{
    private const string ActiveId =
        "SELECT id FROM conversations WHERE site_id = $1 AND visitor_id = $2 AND status <> 'closed';";

    private const string ClientConvId =
        "SELECT id FROM conversations WHERE visitor_id = $1 AND client_conv_id = $2;";

    private const string Insert =
        "INSERT INTO conversations (id, tenant_id, site_id, visitor_id, team_id, status, client_conv_id, last_seq, created_at, updated_at) "
        + "VALUES ($1, $2, $3, $4, $5, $8, $6, 0, $7, $7);";

    private const string InsertRouting =
        "INSERT INTO conversation_routing (conversation_id, skills, priority) VALUES ($1, $2, $3);";

    public override bool NeedsSavepoint => true;

    public override void AddLockKeys(List<string> keys, WriterSession session) => keys.Add(LockKeys.Visitor(request.VisitorId));

    public override async Task ExecuteAsync(WriterSession session)
    {
        var existingId = (string?)await session.ScalarAsync(ActiveId, request.SiteId, request.VisitorId);
        if (existingId is null && request.ClientConvId is not null)
        {
            existingId = (string?)await session.ScalarAsync(ClientConvId, request.VisitorId, request.ClientConvId);
        }
        if (existingId is not null)
        {
            var existing = await session.ReadConversationAsync(existingId)
                ?? throw new InvalidOperationException("A conversation vanished inside the writer's transaction.");
            SetResult(new ConversationStart(existing, Started: false));
            return;
        }
        var now = session.Now();
        var conversation = new Conversation(
            IdGenerator.New("c", now),
            request.TenantId,
            request.SiteId,
            request.VisitorId,
            request.TeamId,
            request.Bot is null ? ConversationStatuses.Queued : ConversationStatuses.Bot,
            AssigneeId: null,
            AssigneeName: null,
            LastSeq: 0,
            now,
            ClosedAt: null);
        await session.ExecuteAsync(
            Insert,
            conversation.Id,
            conversation.TenantId,
            conversation.SiteId,
            conversation.VisitorId,
            conversation.TeamId,
            request.ClientConvId,
            Rows.Millis(now),
            conversation.Status);
        if (request.Skills is { Count: > 0 } || request.Priority != 0)
        {
            await session.ExecuteAsync(InsertRouting, conversation.Id, RoutingRows.Json(request.Skills), request.Priority);
        }
        session.Created(conversation);
        if (request.Bot is { Welcome: { } welcome } bot)
        {
            var stored = Messages.Next(session, conversation, new NewMessage(
                conversation.Id, SenderTypes.Bot, SenderTypes.Bot, bot.SenderName, "welcome:" + conversation.Id, MessageKinds.Text, welcome, null, null));
            await Messages.TryInsertAsync(session, stored);
            conversation = conversation with { LastSeq = stored.Seq };
            session.Remember(conversation);
            Emit(new ConversationUpdated(conversation));
            Emit(new MessageAppended(conversation, stored));
            SetResult(new ConversationStart(conversation, Started: true));
            return;
        }
        Emit(new ConversationUpdated(conversation));
        SetResult(new ConversationStart(conversation, Started: true));
    }
}
