#include "SampleDriver.h"

#include "sync/ConnectorManifest.h"

#include <QObject>
#include <QTimer>

namespace tributary {

namespace {

constexpr int kPageSize = 500;

const QString kMode = QStringLiteral("mode");
const QString kGeneration = QStringLiteral("generation");
const QString kTarget = QStringLiteral("target");
const QString kOffset = QStringLiteral("offset");
const QString kAnchor = QStringLiteral("anchor");
const QString kSeed = QStringLiteral("seed");

// Reads what changed in one collection of the shop since the last pass, a page at a time.
class SampleReader final : public CollectionReader
{
public:
    SampleReader(std::shared_ptr<const SampleStore> store, QString collection, int since, qint64 anchor, quint32 seed,
                 qsizetype offset, QString notice)
        : m_store(std::move(store))
        , m_collection(std::move(collection))
        , m_since(since)
        , m_anchor(anchor)
        , m_seed(seed)
        , m_offset(offset)
        , m_notice(std::move(notice))
        , m_timerContext(std::make_unique<QObject>())
    {
        const QList<SampleStore::Record> &all = m_store->records(m_collection);
        for (qsizetype i = 0; i < all.size(); ++i) {
            if (all.at(i).changedIn > m_since)
                m_changed.append(i);
        }
    }

    void fetchNext(Callback callback) override
    {
        // Asynchronous like a network read: the job's loop keeps turning between pages.
        QTimer::singleShot(0, m_timerContext.get(), [this, callback = std::move(callback)] { callback(nextPage()); });
    }

private:
    Result<Page> nextPage()
    {
        const QList<SampleStore::Record> &all = m_store->records(m_collection);
        Page page;
        const qsizetype end = qMin(m_changed.size(), m_offset + kPageSize);
        for (qsizetype i = m_offset; i < end; ++i) {
            const SampleStore::Record &r = all.at(m_changed.at(i));
            page.records.append(r.data);
            page.deleted.append(r.deleted);
        }
        m_offset = end;
        page.done = m_offset >= m_changed.size();
        page.currentState = true;
        page.total = m_changed.size();
        page.notice = std::exchange(m_notice, QString());
        QJsonObject state {{kMode, QStringLiteral("sample")},
                           {kAnchor, double(m_anchor)},
                           {kSeed, double(m_seed)},
                           {kGeneration, page.done ? m_store->generation() : m_since}};
        if (!page.done) {
            state.insert(kTarget, m_store->generation());
            state.insert(kOffset, double(m_offset));
        }
        page.state = state;
        return page;
    }

    std::shared_ptr<const SampleStore> m_store;
    QString m_collection;
    int m_since;
    qint64 m_anchor;
    quint32 m_seed;
    qsizetype m_offset;
    QString m_notice;
    QList<qsizetype> m_changed; // indexes of the records to read in this pass
    std::unique_ptr<QObject> m_timerContext;
};

} // namespace

SampleDriver::SampleDriver(const ConnectorManifest &manifest, DriverContext context, quint32 seed)
    : m_manifest(manifest), m_context(std::move(context)), m_seed(seed)
{ }

Result<std::unique_ptr<SourceDriver>> SampleDriver::create(const ConnectorManifest &manifest,
                                                           const DriverContext &context)
{
    quint32 seed = 1;
    const QString text = context.settings.value(QStringLiteral("seed"));
    if (!text.isEmpty()) {
        bool ok = false;
        seed = text.toUInt(&ok);
        if (!ok)
            return Error::make(Error::Kind::Config,
                               QStringLiteral("The Sample Store's seed must be a whole number, not '%1'.").arg(text),
                               QStringLiteral("Set it with --set seed=NUMBER, or leave it out."));
    }
    return std::unique_ptr<SourceDriver>(new SampleDriver(manifest, context, seed));
}

std::optional<CollectionKind> SampleDriver::collectionKind(const QString &collection) const
{
    if (!m_manifest.collection(collection) || !SampleStore::collections().contains(collection))
        return std::nullopt;
    return SampleStore::isEvent(collection) ? CollectionKind::Event : CollectionKind::Object;
}

std::shared_ptr<const SampleStore> SampleDriver::store(int generation, qint64 anchor)
{
    const auto key = qMakePair(generation, anchor);
    auto it = m_stores.find(key);
    if (it == m_stores.end())
        it = m_stores.insert(key, SampleStore::build(m_seed, generation, anchor));
    return *it;
}

Result<std::unique_ptr<CollectionReader>> SampleDriver::createReader(const QString &collection,
                                                                     const QJsonObject &state)
{
    if (!collectionKind(collection))
        return Error::make(
                Error::Kind::Config, QStringLiteral("The Sample Store has no collection '%1'.").arg(collection),
                QStringLiteral("Choose among: %1.").arg(SampleStore::collections().join(QStringLiteral(", "))));
    // The shop's clock starts at the first sync, on the hour.
    const qint64 now = m_context.now.toSecsSinceEpoch();
    const bool known = state.value(kMode).toString() == QLatin1String("sample")
            && quint32(state.value(kSeed).toDouble()) == m_seed && state.contains(kGeneration);
    QString notice;
    int since = -1; // every record changed after this generation is read (-1: all of them)
    int target = 0;
    qint64 anchor = now - now % 3600;
    qsizetype offset = 0;
    if (known) {
        anchor = qint64(state.value(kAnchor).toDouble(double(anchor)));
        since = state.value(kGeneration).toInt();
        if (state.contains(kTarget)) { // resume an interrupted pass
            target = state.value(kTarget).toInt();
            offset = qsizetype(state.value(kOffset).toDouble());
        } else {
            target = since + 1;
        }
        if (m_context.fullRefresh) {
            since = -1;
            offset = 0;
            notice = QStringLiteral("Full refresh requested: reading everything again.");
        }
    } else if (!state.isEmpty()) {
        notice = QStringLiteral("The Sample Store's seed changed: reading the new shop from the start.");
    }
    return std::unique_ptr<CollectionReader>(
            new SampleReader(store(target, anchor), collection, since, anchor, m_seed, offset, notice));
}

} // namespace tributary
