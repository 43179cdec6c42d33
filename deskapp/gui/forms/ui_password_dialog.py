# Generated from ui/password_dialog.ui by `python -m deskapp.gui.forms.compile`: do not edit.
# Change the form in Qt Designer (pyside6-designer) and run that command again.
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'password_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QLabel, QLineEdit, QSizePolicy,
    QVBoxLayout, QWidget)

class Ui_PasswordDialog(object):
    def setupUi(self, PasswordDialog):
        if not PasswordDialog.objectName():
            PasswordDialog.setObjectName(u"PasswordDialog")
        PasswordDialog.resize(420, 200)
        self.mainLayout = QVBoxLayout(PasswordDialog)
        self.mainLayout.setObjectName(u"mainLayout")
        self.intro = QLabel(PasswordDialog)
        self.intro.setObjectName(u"intro")
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)

        self.mainLayout.addWidget(self.intro)

        self.form = QFormLayout()
        self.form.setObjectName(u"form")
        self.newLabel = QLabel(PasswordDialog)
        self.newLabel.setObjectName(u"newLabel")

        self.form.setWidget(0, QFormLayout.ItemRole.LabelRole, self.newLabel)

        self.newPassword = QLineEdit(PasswordDialog)
        self.newPassword.setObjectName(u"newPassword")
        self.newPassword.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(0, QFormLayout.ItemRole.FieldRole, self.newPassword)

        self.repeatLabel = QLabel(PasswordDialog)
        self.repeatLabel.setObjectName(u"repeatLabel")

        self.form.setWidget(1, QFormLayout.ItemRole.LabelRole, self.repeatLabel)

        self.repeatPassword = QLineEdit(PasswordDialog)
        self.repeatPassword.setObjectName(u"repeatPassword")
        self.repeatPassword.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.setWidget(1, QFormLayout.ItemRole.FieldRole, self.repeatPassword)


        self.mainLayout.addLayout(self.form)

        self.message = QLabel(PasswordDialog)
        self.message.setObjectName(u"message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)

        self.mainLayout.addWidget(self.message)

        self.buttons = QDialogButtonBox(PasswordDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.mainLayout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.newLabel.setBuddy(self.newPassword)
        self.repeatLabel.setBuddy(self.repeatPassword)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.newPassword, self.repeatPassword)
        QWidget.setTabOrder(self.repeatPassword, self.buttons)

        self.retranslateUi(PasswordDialog)

        QMetaObject.connectSlotsByName(PasswordDialog)
    # setupUi

    def retranslateUi(self, PasswordDialog):
        PasswordDialog.setWindowTitle(QCoreApplication.translate("PasswordDialog", u"Change my password", None))
#if QT_CONFIG(accessibility)
        PasswordDialog.setAccessibleName(QCoreApplication.translate("PasswordDialog", u"Change my password", None))
#endif // QT_CONFIG(accessibility)
        self.intro.setText(QCoreApplication.translate("PasswordDialog", u"Your new password for the team server (at least 10 characters).", None))
        self.newLabel.setText(QCoreApplication.translate("PasswordDialog", u"&New password:", None))
#if QT_CONFIG(accessibility)
        self.newPassword.setAccessibleName(QCoreApplication.translate("PasswordDialog", u"New password", None))
#endif // QT_CONFIG(accessibility)
        self.repeatLabel.setText(QCoreApplication.translate("PasswordDialog", u"&Repeat it:", None))
#if QT_CONFIG(accessibility)
        self.repeatPassword.setAccessibleName(QCoreApplication.translate("PasswordDialog", u"Repeat the new password", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.message.setAccessibleName(QCoreApplication.translate("PasswordDialog", u"Password message", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.buttons.setAccessibleName(QCoreApplication.translate("PasswordDialog", u"Dialog buttons", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

