// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/passwordstore.h"

#include <qt6keychain/keychain.h>

namespace tandem::ui {

namespace {

/// A job error that means "the keychain answered" (found or not) rather than
/// "there is no usable keychain".
bool keychainAnswered(QKeychain::Error error)
{
    return error == QKeychain::NoError || error == QKeychain::EntryNotFound;
}

} // namespace

PasswordStore::PasswordStore(QString service, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
{
}

void PasswordStore::read(const QString &key)
{
    // Not our child: the keychain's callback reaches the job after we are
    // gone (a window closed while it asks), so the job deletes itself when
    // done; the connection below ends with us.
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, key] {
        if (job->error() == QKeychain::NoError) {
            if (m_backend != Backend::Keychain) {
                m_backend = Backend::Keychain;
                m_problem.clear();
                Q_EMIT backendChanged(m_backend);
            }
            Q_EMIT passwordRead(key, job->textData(), true);
            return;
        }
        if (keychainAnswered(job->error())) {
            if (m_backend == Backend::Unknown) {
                m_backend = Backend::Keychain;
                Q_EMIT backendChanged(m_backend);
            }
        } else {
            keychainFailed(job->errorString());
        }
        const auto it = m_session.constFind(key);
        Q_EMIT passwordRead(key, it == m_session.cend() ? QString() : *it, it != m_session.cend());
    });
    job->start();
}

void PasswordStore::store(const QString &key, const QString &password)
{
    auto *job = new QKeychain::WritePasswordJob(m_service); // not our child: see read()
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never plain text on disk
    job->setKey(key);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [this, job, key, password] {
        if (job->error() == QKeychain::NoError) {
            m_session.remove(key);
            if (m_backend != Backend::Keychain) {
                m_backend = Backend::Keychain;
                m_problem.clear();
                Q_EMIT backendChanged(m_backend);
            }
            Q_EMIT stored(key, Backend::Keychain);
            return;
        }
        keychainFailed(job->errorString());
        m_session.insert(key, password);
        Q_EMIT stored(key, Backend::SessionOnly);
    });
    job->start();
}

void PasswordStore::forget(const QString &key)
{
    m_session.remove(key);
    auto *job = new QKeychain::DeletePasswordJob(m_service); // not our child: see read()
    job->setAutoDelete(true);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, key] { Q_EMIT forgotten(key); });
    job->start();
}

void PasswordStore::keychainFailed(const QString &why)
{
    m_problem = why;
    if (m_backend != Backend::SessionOnly) {
        m_backend = Backend::SessionOnly;
        Q_EMIT backendChanged(m_backend);
    }
}

} // namespace tandem::ui
