using Kefu.Core.Ids;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;

namespace Kefu.Storage.Sqlite.Writing;

/// <summary>
/// Returns the visitor's conversation that is not closed on the site, or the one started with the same
/// clientConvId, or starts a queued one (or one served by the bot, with its welcome in the same commit). The single writer makes the check and the insert atomic; the
/// partial unique indexes are the backstop.
/// </summary>
internal sealed class StartConversationOp(StartConversation request, CancellationToken cancellationToken)
    : WriteOp<ConversationStart>(cancellationToken)
{
    private const string ActiveId =
        "SELECT id FROM conversations WHERE site_id = $1 AND visitor_id = $2 AND status <> 'closed';";

    private const string ClientConvId =
        "SELECT id FROM conversations WHERE visitor_id = $1 AND client_conv_id = $2;";

    private const string Insert =
        "INSERT INTO conversations (id, tenant_id, site_id, visitor_id, team_id, status, client_conv_id, created_at, updated_at) "
        + "VALUES ($1, $2, $3, $4, $5, $8, $6, $7, $7);";

    private const string InsertRouting =
        "INSERT INTO conversation_routing (conversation_id, skills, priority) VALUES ($1, $2, $3);";

    public override bool NeedsSavepoint => request.Skills is { Count: > 0 } || request.Priority != 0 || request.Bot?.Welcome is not null;

    public override void Execute(WriterSession session)
    {
        var existingId = (string?)session.Scalar(ActiveId, request.SiteId, request.VisitorId);
        if (existingId is null && request.ClientConvId is not null)
        {
            existingId = (string?)session.Scalar(ClientConvId, request.VisitorId, request.ClientConvId);
        }
        if (existingId is not null)
        {
            var existing = session.GetConversation(existingId)
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
        session.Execute(
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
            session.Execute(InsertRouting, conversation.Id, RoutingRows.Json(request.Skills), request.Priority);
        }
        if (request.Bot is { Welcome: { } welcome } bot)
        {
            var stored = Messages.Next(session, conversation, new NewMessage(
                conversation.Id, SenderTypes.Bot, SenderTypes.Bot, bot.SenderName, "welcome:" + conversation.Id, MessageKinds.Text, welcome, null, null));
            Messages.TryInsert(session, stored);
            conversation = conversation with { LastSeq = stored.Seq };
            session.Remember(conversation);
            Emit(new ConversationUpdated(conversation));
            Emit(new MessageAppended(conversation, stored));
            SetResult(new ConversationStart(conversation, Started: true));
            return;
        }
        session.Remember(conversation);
        Emit(new ConversationUpdated(conversation));
        SetResult(new ConversationStart(conversation, Started: true));
    }
}
