using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Storage.Postgres.Migrations;
using Kefu.Storage.Postgres.Reading;
using Kefu.Storage.Postgres.Writing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// The PostgreSQL store, for one or several nodes on one database. Each node's writes go through its own
/// writer that group-commits (many ops per durable transaction) and completes an op only after its commit;
/// batches of different nodes take row and advisory locks in a fixed order, so seq stays gapless per
/// conversation and agents' capacity holds across nodes. Reads run on the pooled connections.
/// </summary>
public sealed partial class PostgresStore : IDirectoryStore, IConversationStore, IBusinessHoursStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresMigrator _migrator;
    private readonly PostgresWriter _writer;
    private readonly ConversationQueries _conversations;
    private readonly DirectoryQueries _directory;
    private readonly ConsoleQueries _console;
    private readonly RoutingQueries _routing;
    private readonly PostgresReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresStore> _logger;

    public PostgresStore(PostgresStoreOptions options, TimeProvider timeProvider, IStoreObserver observer, ILogger<PostgresStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        _logger = logger;
        _time = timeProvider;
        _dataSource = PostgresDataSource.Create(options.ConnectionString);
        _migrator = new PostgresMigrator(_dataSource, timeProvider, logger);
        _writer = new PostgresWriter(_dataSource, options, timeProvider, observer, logger);
        _reader = new PostgresReader(_dataSource);
        _conversations = new ConversationQueries(_reader);
        _directory = new DirectoryQueries(_reader);
        _console = new ConsoleQueries(_reader);
        _routing = new RoutingQueries(_reader);
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => _migrator.MigrateAsync(cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _directory.PingAsync(cancellationToken);
        }
        catch (NpgsqlException exception)
        {
            _logger.PingFailed(exception);
            return false;
        }
    }

    public async Task<string> GetOrAddSettingAsync(string key, string valueIfAbsent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(valueIfAbsent);
        return await _directory.GetSettingAsync(key, cancellationToken)
            ?? await _writer.EnqueueAsync(new SettingOp(key, valueIfAbsent, cancellationToken), cancellationToken);
    }

    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _directory.GetSettingAsync(key, cancellationToken);
    }

    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return _writer.EnqueueAsync(new SetSettingOp(key, value, cancellationToken), cancellationToken);
    }

    public Task<BootstrapResult> BootstrapAsync(BootstrapRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _writer.EnqueueAsync(new BootstrapOp(request, cancellationToken), cancellationToken);
    }

    public Task<Site?> FindSiteByKeyAsync(string siteKey, CancellationToken cancellationToken) => _directory.FindSiteByKeyAsync(siteKey, cancellationToken);

    public Task<Site?> GetSiteAsync(string siteId, CancellationToken cancellationToken) => _directory.GetSiteAsync(siteId, cancellationToken);

    public Task<Team?> GetDefaultTeamAsync(string tenantId, CancellationToken cancellationToken) => _directory.GetDefaultTeamAsync(tenantId, cancellationToken);

    public Task<Agent?> FindAgentByUsernameAsync(string username, CancellationToken cancellationToken) => _directory.FindAgentByUsernameAsync(username, cancellationToken);

    public Task<Agent?> GetAgentAsync(string agentId, CancellationToken cancellationToken) => _directory.GetAgentAsync(agentId, cancellationToken);

    public Task<Visitor?> GetVisitorAsync(string visitorId, CancellationToken cancellationToken) => _directory.GetVisitorAsync(visitorId, cancellationToken);

    public async Task<Visitor> GetOrCreateVisitorAsync(VisitorRegistration registration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.ExternalId is not null
            && await _directory.FindVisitorAsync(registration.SiteId, registration.ExternalId, cancellationToken) is { } existing)
        {
            return existing;
        }
        return await _writer.EnqueueAsync(new VisitorOp(registration, now, cancellationToken), cancellationToken);
    }

    public Task UpdateVisitorContextAsync(string visitorId, string? contextJson, CancellationToken cancellationToken)
        => _writer.EnqueueAsync(new VisitorContextOp(visitorId, contextJson, cancellationToken), cancellationToken);

    public Task<bool> NameVisitorAsync(string visitorId, string name, CancellationToken cancellationToken)
        => _writer.EnqueueAsync(new NameVisitorOp(visitorId, name, cancellationToken), cancellationToken);

    public Task<ConversationStart> StartConversationAsync(StartConversation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _writer.EnqueueAsync(new StartConversationOp(request, cancellationToken), cancellationToken);
    }

    public Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _writer.EnqueueAsync(new AppendOp(message, cancellationToken), cancellationToken);
    }

    public Task<StoredMessage?> FindByClientMsgIdAsync(string senderId, string clientMsgId, CancellationToken cancellationToken)
        => _conversations.FindByClientMsgIdAsync(senderId, clientMsgId, cancellationToken);

    public Task<Conversation?> GetConversationAsync(string conversationId, CancellationToken cancellationToken)
        => _conversations.GetAsync(conversationId, cancellationToken);

    public Task<IReadOnlyList<Conversation>> ListForVisitorAsync(string visitorId, int limit, CancellationToken cancellationToken)
        => _conversations.ListForVisitorAsync(visitorId, limit, cancellationToken);

    public Task<IReadOnlyList<Conversation>> ListOpenForAgentAsync(string agentId, CancellationToken cancellationToken)
        => _conversations.ListOpenForAgentAsync(agentId, cancellationToken);

    public Task<IReadOnlyList<Conversation>> ListForVisitorsAsync(IReadOnlyList<string> visitorIds, int limitEach, CancellationToken cancellationToken)
        => _conversations.ListForVisitorsAsync(visitorIds, limitEach, cancellationToken);

    public Task<IReadOnlyList<Conversation>> ListOpenForAgentsAsync(IReadOnlyList<string> agentIds, CancellationToken cancellationToken)
        => _conversations.ListOpenForAgentsAsync(agentIds, cancellationToken);

    public Task<IReadOnlyList<Conversation>> ListQueuedAsync(string tenantId, int limit, CancellationToken cancellationToken)
        => _conversations.ListQueuedAsync(tenantId, limit, cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ReadAfterAsync(string conversationId, long afterSeq, int limit, CancellationToken cancellationToken)
        => _conversations.ReadAfterAsync(conversationId, afterSeq, limit, cancellationToken);

    public Task<IReadOnlyList<StoredMessage>> ReadBeforeAsync(string conversationId, long beforeSeq, int limit, CancellationToken cancellationToken)
        => _conversations.ReadBeforeAsync(conversationId, beforeSeq, limit, cancellationToken);

    public Task<Assignment?> TryAssignAsync(string conversationId, IReadOnlyList<AgentCandidate> candidates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        // The writer runs the op later: it must not see the caller change the list.
        return _writer.EnqueueAsync(new AssignOp(conversationId, [.. candidates], cancellationToken), cancellationToken);
    }

    public Task<CloseResult> CloseAsync(string conversationId, string closedById, string closedByType, string? closedByName, CancellationToken cancellationToken)
        => _writer.EnqueueAsync(new CloseOp(conversationId, closedById, closedByType, closedByName, cancellationToken), cancellationToken);

    public Task<ReceiptState> RecordReceiptAsync(string conversationId, string userId, string kind, long seq, CancellationToken cancellationToken)
    {
        if (kind is not (ReceiptKinds.Read or ReceiptKinds.Delivered))
        {
            throw new ArgumentException($"Unknown receipt kind '{kind}'.", nameof(kind));
        }
        return _writer.EnqueueAsync(new ReceiptOp(conversationId, userId, kind, seq, cancellationToken), cancellationToken);
    }

    public Task<ConversationReceipts> GetReceiptsAsync(Conversation conversation, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return _conversations.GetReceiptsAsync(conversation, userId, cancellationToken);
    }

    public Task<IReadOnlyList<ConversationListItem>> ListForConsoleAsync(string tenantId, string agentId, ConversationListView view, int limit, CancellationToken cancellationToken)
        => _console.ListAsync(tenantId, agentId, view, limit, cancellationToken);

    public Task<Conversation?> ReopenAsync(string conversationId, AgentCandidate agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return _writer.EnqueueAsync(new ReopenOp(conversationId, agent, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<AgentLoad>> GetAgentLoadsAsync(IReadOnlyList<string> agentIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentIds);
        return _conversations.GetAgentLoadsAsync(agentIds, cancellationToken);
    }

    public Task<AgentRecord?> CreateAgentAsync(NewAgent agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return _writer.EnqueueAsync(new CreateAgentOp(agent with { TeamIds = agent.TeamIds is null ? null : [.. agent.TeamIds], Skills = [.. agent.Skills] }, cancellationToken), cancellationToken);
    }

    public Task<AgentRecord?> UpdateAgentAsync(AgentChanges changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return _writer.EnqueueAsync(new UpdateAgentOp(changes, cancellationToken), cancellationToken);
    }

    public Task<AgentRecord?> GetAgentProfileAsync(string agentId, CancellationToken cancellationToken) => _routing.GetAgentAsync(agentId, cancellationToken);

    public Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(string tenantId, CancellationToken cancellationToken) => _routing.ListAgentsAsync(tenantId, cancellationToken);

    public Task<TeamProfile?> SaveTeamAsync(TeamProfile team, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(team);
        return _writer.EnqueueAsync(new SaveTeamOp(team, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<TeamProfile>> ListTeamsAsync(string tenantId, CancellationToken cancellationToken) => _routing.ListTeamsAsync(tenantId, cancellationToken);

    public Task<IReadOnlyList<RoutableConversation>> ListRoutableAsync(CancellationToken cancellationToken) => _routing.ListRoutableAsync(cancellationToken);

    public Task<Conversation?> RequeueAsync(string conversationId, string? teamId, string? expectedAssigneeId, RoutingActor by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        return _writer.EnqueueAsync(new RequeueOp(conversationId, teamId, expectedAssigneeId, by, cancellationToken), cancellationToken);
    }

    public Task<Assignment?> TransferAsync(string conversationId, AgentCandidate agent, RoutingActor by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(by);
        return _writer.EnqueueAsync(new TransferOp(conversationId, agent, by, cancellationToken), cancellationToken);
    }

    public Task<Conversation?> ReopenQueuedAsync(string conversationId, RoutingActor by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(by);
        return _writer.EnqueueAsync(new ReopenQueuedOp(conversationId, by, cancellationToken), cancellationToken);
    }

    public Task SaveBusinessHoursAsync(string tenantId, string scopeId, string? scheduleJson, CancellationToken cancellationToken)
        => _writer.EnqueueAsync(new BusinessHoursOp(tenantId, scopeId, scheduleJson, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<BusinessHours>> ListBusinessHoursAsync(string tenantId, CancellationToken cancellationToken)
        => _routing.ListBusinessHoursAsync(tenantId, cancellationToken);

    /// <summary>Runs the writes already queued, then closes the writer and its connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
