# Generated from ui/welcome_dialog.ui by `python -m deskapp.gui.forms.compile`: do not edit.
# Change the form in Qt Designer (pyside6-designer) and run that command again.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'welcome_dialog.ui'
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
from PySide6.QtWidgets import (QApplication, QCommandLinkButton, QDialog, QLabel,
    QProgressBar, QSizePolicy, QVBoxLayout, QWidget)

class Ui_WelcomeDialog(object):
    def setupUi(self, WelcomeDialog):
        if not WelcomeDialog.objectName():
            WelcomeDialog.setObjectName(u"WelcomeDialog")
        WelcomeDialog.resize(560, 360)
        self.mainLayout = QVBoxLayout(WelcomeDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.heading = QLabel(WelcomeDialog)
        self.heading.setObjectName(u"heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet(u"font-size: 18pt; font-weight: bold;")

        self.mainLayout.addWidget(self.heading)

        self.intro = QLabel(WelcomeDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)

        self.mainLayout.addWidget(self.intro)

        self.demo = QCommandLinkButton(WelcomeDialog)
        self.demo.setObjectName(u"demo")

        self.mainLayout.addWidget(self.demo)

        self.server = QCommandLinkButton(WelcomeDialog)
        self.server.setObjectName(u"server")

        self.mainLayout.addWidget(self.server)

        self.local = QCommandLinkButton(WelcomeDialog)
        self.local.setObjectName(u"local")

        self.mainLayout.addWidget(self.local)

        self.progress = QProgressBar(WelcomeDialog)
        self.progress.setObjectName(u"progress")
        self.progress.setVisible(False)

        self.mainLayout.addWidget(self.progress)

        self.message = QLabel(WelcomeDialog)
        self.message.setObjectName(u"message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        self.mainLayout.addWidget(self.message)

        QWidget.setTabOrder(self.demo, self.server)
        QWidget.setTabOrder(self.server, self.local)

        self.retranslateUi(WelcomeDialog)

        QMetaObject.connectSlotsByName(WelcomeDialog)
    # setupUi

    def retranslateUi(self, WelcomeDialog):
        WelcomeDialog.setWindowTitle(QCoreApplication.translate("WelcomeDialog", u"Welcome to Deskapp", None))
#if QT_CONFIG(accessibility)
        WelcomeDialog.setAccessibleName(QCoreApplication.translate("WelcomeDialog", u"Welcome to Deskapp", None))
#endif // QT_CONFIG(accessibility)
        self.heading.setText(QCoreApplication.translate("WelcomeDialog", u"Welcome to Deskapp", None))
        self.intro.setText(QCoreApplication.translate("WelcomeDialog", u"Your queue, the customer's whole history, tested wording and handoff notes the next rep can act on \u2014 in one window. How would you like to start?", None))
        self.demo.setText(QCoreApplication.translate("WelcomeDialog", u"Try the demo workspace", None))
        self.demo.setDescription(QCoreApplication.translate("WelcomeDialog", u"A realistic contact centre with customers, cases and history, on this computer. Nothing you do there reaches real customers.", None))
#if QT_CONFIG(accessibility)
        self.demo.setAccessibleName(QCoreApplication.translate("WelcomeDialog", u"Try the demo workspace", None))
#endif // QT_CONFIG(accessibility)
        self.server.setText(QCoreApplication.translate("WelcomeDialog", u"Connect to my team's server", None))
        self.server.setDescription(QCoreApplication.translate("WelcomeDialog", u"Your admin gives you the server's address and your login.", None))
#if QT_CONFIG(accessibility)
        self.server.setAccessibleName(QCoreApplication.translate("WelcomeDialog", u"Connect to my team's server", None))
#endif // QT_CONFIG(accessibility)
        self.local.setText(QCoreApplication.translate("WelcomeDialog", u"Start my own local workspace", None))
        self.local.setDescription(QCoreApplication.translate("WelcomeDialog", u"An empty workspace in a file on this computer, for one workstation.", None))
#if QT_CONFIG(accessibility)
        self.local.setAccessibleName(QCoreApplication.translate("WelcomeDialog", u"Start my own local workspace", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.progress.setAccessibleName(QCoreApplication.translate("WelcomeDialog", u"Building the demo workspace", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.message.setAccessibleName(QCoreApplication.translate("WelcomeDialog", u"Welcome message", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

