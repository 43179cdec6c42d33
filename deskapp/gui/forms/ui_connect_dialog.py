# Generated from ui/connect_dialog.ui by `python -m deskapp.gui.forms.compile`: do not edit.
# Change the form in Qt Designer (pyside6-designer) and run that command again.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'connect_dialog.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
    QLabel, QLineEdit, QPushButton, QSizePolicy,
    QSpacerItem, QSpinBox, QStackedWidget, QVBoxLayout,
    QWidget)

class Ui_ConnectDialog(object):
    def setupUi(self, ConnectDialog):
        if not ConnectDialog.objectName():
            ConnectDialog.setObjectName(u"ConnectDialog")
        ConnectDialog.resize(520, 460)
        self.mainLayout = QVBoxLayout(ConnectDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.profileForm = QFormLayout()
        self.profileForm.setObjectName(u"profileForm")
        self.profileLabel = QLabel(ConnectDialog)
        self.profileLabel.setObjectName(u"profileLabel")

        self.profileForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.profileLabel)

        self.profile = QComboBox(ConnectDialog)
        self.profile.setObjectName(u"profile")

        self.profileForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.profile)

        self.kindLabel = QLabel(ConnectDialog)
        self.kindLabel.setObjectName(u"kindLabel")

        self.profileForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.kindLabel)

        self.kind = QComboBox(ConnectDialog)
        self.kind.addItem("")
        self.kind.addItem("")
        self.kind.addItem("")
        self.kind.setObjectName(u"kind")

        self.profileForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.kind)


        self.mainLayout.addLayout(self.profileForm)

        self.pages = QStackedWidget(ConnectDialog)
        self.pages.setObjectName(u"pages")
        self.filePage = QWidget()
        self.filePage.setObjectName(u"filePage")
        self.fileForm = QFormLayout(self.filePage)
        self.fileForm.setObjectName(u"fileForm")
        self.pathLabel = QLabel(self.filePage)
        self.pathLabel.setObjectName(u"pathLabel")

        self.fileForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.pathLabel)

        self.pathRow = QHBoxLayout()
        self.pathRow.setObjectName(u"pathRow")
        self.path = QLineEdit(self.filePage)
        self.path.setObjectName(u"path")

        self.pathRow.addWidget(self.path)

        self.browse = QPushButton(self.filePage)
        self.browse.setObjectName(u"browse")

        self.pathRow.addWidget(self.browse)


        self.fileForm.setLayout(0, QFormLayout.ItemRole.FieldRole, self.pathRow)

        self.pages.addWidget(self.filePage)
        self.serverPage = QWidget()
        self.serverPage.setObjectName(u"serverPage")
        self.serverForm = QFormLayout(self.serverPage)
        self.serverForm.setObjectName(u"serverForm")
        self.hostLabel = QLabel(self.serverPage)
        self.hostLabel.setObjectName(u"hostLabel")

        self.serverForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.hostLabel)

        self.host = QLineEdit(self.serverPage)
        self.host.setObjectName(u"host")

        self.serverForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.host)

        self.portLabel = QLabel(self.serverPage)
        self.portLabel.setObjectName(u"portLabel")

        self.serverForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.portLabel)

        self.port = QSpinBox(self.serverPage)
        self.port.setObjectName(u"port")
        self.port.setMinimum(1)
        self.port.setMaximum(65535)
        self.port.setValue(5432)

        self.serverForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.port)

        self.databaseLabel = QLabel(self.serverPage)
        self.databaseLabel.setObjectName(u"databaseLabel")

        self.serverForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.databaseLabel)

        self.database = QLineEdit(self.serverPage)
        self.database.setObjectName(u"database")

        self.serverForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.database)

        self.userLabel = QLabel(self.serverPage)
        self.userLabel.setObjectName(u"userLabel")

        self.serverForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.user = QLineEdit(self.serverPage)
        self.user.setObjectName(u"user")

        self.serverForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.user)

        self.passwordLabel = QLabel(self.serverPage)
        self.passwordLabel.setObjectName(u"passwordLabel")

        self.serverForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.passwordLabel)

        self.password = QLineEdit(self.serverPage)
        self.password.setObjectName(u"password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)

        self.serverForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.password)

        self.remember = QCheckBox(self.serverPage)
        self.remember.setObjectName(u"remember")

        self.serverForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.remember)

        self.tlsLabel = QLabel(self.serverPage)
        self.tlsLabel.setObjectName(u"tlsLabel")

        self.serverForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.tlsLabel)

        self.tls = QComboBox(self.serverPage)
        self.tls.addItem("")
        self.tls.addItem("")
        self.tls.addItem("")
        self.tls.addItem("")
        self.tls.setObjectName(u"tls")

        self.serverForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.tls)

        self.caLabel = QLabel(self.serverPage)
        self.caLabel.setObjectName(u"caLabel")

        self.serverForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.caLabel)

        self.caRow = QHBoxLayout()
        self.caRow.setObjectName(u"caRow")
        self.caFile = QLineEdit(self.serverPage)
        self.caFile.setObjectName(u"caFile")

        self.caRow.addWidget(self.caFile)

        self.browseCa = QPushButton(self.serverPage)
        self.browseCa.setObjectName(u"browseCa")

        self.caRow.addWidget(self.browseCa)


        self.serverForm.setLayout(7, QFormLayout.ItemRole.FieldRole, self.caRow)

        self.pages.addWidget(self.serverPage)

        self.mainLayout.addWidget(self.pages)

        self.saveForm = QFormLayout()
        self.saveForm.setObjectName(u"saveForm")
        self.profileNameLabel = QLabel(ConnectDialog)
        self.profileNameLabel.setObjectName(u"profileNameLabel")

        self.saveForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.profileNameLabel)

        self.profileName = QLineEdit(ConnectDialog)
        self.profileName.setObjectName(u"profileName")

        self.saveForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.profileName)


        self.mainLayout.addLayout(self.saveForm)

        self.message = QLabel(ConnectDialog)
        self.message.setObjectName(u"message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        self.mainLayout.addWidget(self.message)

        self.spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.mainLayout.addItem(self.spacer)

        self.buttons = QDialogButtonBox(ConnectDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.profileLabel.setBuddy(self.profile)
        self.kindLabel.setBuddy(self.kind)
        self.pathLabel.setBuddy(self.path)
        self.hostLabel.setBuddy(self.host)
        self.portLabel.setBuddy(self.port)
        self.databaseLabel.setBuddy(self.database)
        self.userLabel.setBuddy(self.user)
        self.passwordLabel.setBuddy(self.password)
        self.tlsLabel.setBuddy(self.tls)
        self.caLabel.setBuddy(self.caFile)
        self.profileNameLabel.setBuddy(self.profileName)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.profile, self.kind)
        QWidget.setTabOrder(self.kind, self.path)
        QWidget.setTabOrder(self.path, self.browse)
        QWidget.setTabOrder(self.browse, self.host)
        QWidget.setTabOrder(self.host, self.port)
        QWidget.setTabOrder(self.port, self.database)
        QWidget.setTabOrder(self.database, self.user)
        QWidget.setTabOrder(self.user, self.password)
        QWidget.setTabOrder(self.password, self.remember)
        QWidget.setTabOrder(self.remember, self.tls)
        QWidget.setTabOrder(self.tls, self.caFile)
        QWidget.setTabOrder(self.caFile, self.browseCa)
        QWidget.setTabOrder(self.browseCa, self.profileName)
        QWidget.setTabOrder(self.profileName, self.buttons)

        self.retranslateUi(ConnectDialog)

        QMetaObject.connectSlotsByName(ConnectDialog)
    # setupUi

    def retranslateUi(self, ConnectDialog):
        ConnectDialog.setWindowTitle(QCoreApplication.translate("ConnectDialog", u"Open a workspace", None))
#if QT_CONFIG(accessibility)
        ConnectDialog.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Open a workspace", None))
#endif // QT_CONFIG(accessibility)
        self.profileLabel.setText(QCoreApplication.translate("ConnectDialog", u"&Profile:", None))
#if QT_CONFIG(accessibility)
        self.profile.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Saved connection profile", None))
#endif // QT_CONFIG(accessibility)
        self.kindLabel.setText(QCoreApplication.translate("ConnectDialog", u"&Workspace:", None))
        self.kind.setItemText(0, QCoreApplication.translate("ConnectDialog", u"Local file on this computer (SQLite)", None))
        self.kind.setItemText(1, QCoreApplication.translate("ConnectDialog", u"Team server \u2014 PostgreSQL", None))
        self.kind.setItemText(2, QCoreApplication.translate("ConnectDialog", u"Team server \u2014 MariaDB", None))

#if QT_CONFIG(accessibility)
        self.kind.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Kind of workspace", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.pages.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Connection details", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.filePage.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Local workspace file", None))
#endif // QT_CONFIG(accessibility)
        self.pathLabel.setText(QCoreApplication.translate("ConnectDialog", u"&File:", None))
#if QT_CONFIG(accessibility)
        self.path.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Workspace file", None))
#endif // QT_CONFIG(accessibility)
        self.path.setPlaceholderText(QCoreApplication.translate("ConnectDialog", u"A new or existing .sqlite file", None))
        self.browse.setText(QCoreApplication.translate("ConnectDialog", u"&Browse\u2026", None))
#if QT_CONFIG(accessibility)
        self.browse.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Choose the workspace file", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.serverPage.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Team server connection", None))
#endif // QT_CONFIG(accessibility)
        self.hostLabel.setText(QCoreApplication.translate("ConnectDialog", u"&Host:", None))
#if QT_CONFIG(accessibility)
        self.host.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Server host name", None))
#endif // QT_CONFIG(accessibility)
        self.host.setPlaceholderText(QCoreApplication.translate("ConnectDialog", u"db.example.com", None))
        self.portLabel.setText(QCoreApplication.translate("ConnectDialog", u"P&ort:", None))
#if QT_CONFIG(accessibility)
        self.port.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Server port", None))
#endif // QT_CONFIG(accessibility)
        self.databaseLabel.setText(QCoreApplication.translate("ConnectDialog", u"&Database:", None))
#if QT_CONFIG(accessibility)
        self.database.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Database name", None))
#endif // QT_CONFIG(accessibility)
        self.database.setText(QCoreApplication.translate("ConnectDialog", u"deskapp", None))
        self.userLabel.setText(QCoreApplication.translate("ConnectDialog", u"&User:", None))
#if QT_CONFIG(accessibility)
        self.user.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Your login", None))
#endif // QT_CONFIG(accessibility)
        self.passwordLabel.setText(QCoreApplication.translate("ConnectDialog", u"Pass&word:", None))
#if QT_CONFIG(accessibility)
        self.password.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Your password", None))
#endif // QT_CONFIG(accessibility)
        self.remember.setText(QCoreApplication.translate("ConnectDialog", u"&Remember the password in this computer's keychain", None))
#if QT_CONFIG(accessibility)
        self.remember.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Remember the password in the keychain", None))
#endif // QT_CONFIG(accessibility)
        self.tlsLabel.setText(QCoreApplication.translate("ConnectDialog", u"&Security:", None))
        self.tls.setItemText(0, QCoreApplication.translate("ConnectDialog", u"Automatic (verify certificate unless this computer)", None))
        self.tls.setItemText(1, QCoreApplication.translate("ConnectDialog", u"Encrypt and verify the server's certificate", None))
        self.tls.setItemText(2, QCoreApplication.translate("ConnectDialog", u"Encrypt if the server offers it (no verification)", None))
        self.tls.setItemText(3, QCoreApplication.translate("ConnectDialog", u"No encryption", None))

#if QT_CONFIG(accessibility)
        self.tls.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Connection security", None))
#endif // QT_CONFIG(accessibility)
        self.caLabel.setText(QCoreApplication.translate("ConnectDialog", u"&CA file:", None))
#if QT_CONFIG(accessibility)
        self.caFile.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Certificate authority file", None))
#endif // QT_CONFIG(accessibility)
        self.caFile.setPlaceholderText(QCoreApplication.translate("ConnectDialog", u"Optional: the server's certificate authority (.pem)", None))
        self.browseCa.setText(QCoreApplication.translate("ConnectDialog", u"B&rowse\u2026", None))
#if QT_CONFIG(accessibility)
        self.browseCa.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Choose the certificate authority file", None))
#endif // QT_CONFIG(accessibility)
        self.profileNameLabel.setText(QCoreApplication.translate("ConnectDialog", u"Save &as:", None))
#if QT_CONFIG(accessibility)
        self.profileName.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Profile name", None))
#endif // QT_CONFIG(accessibility)
        self.profileName.setPlaceholderText(QCoreApplication.translate("ConnectDialog", u"A name for this connection, e.g. \u201cTeam server\u201d", None))
#if QT_CONFIG(accessibility)
        self.message.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Connection message", None))
#endif // QT_CONFIG(accessibility)
        self.message.setText("")
#if QT_CONFIG(accessibility)
        self.buttons.setAccessibleName(QCoreApplication.translate("ConnectDialog", u"Dialog buttons", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

